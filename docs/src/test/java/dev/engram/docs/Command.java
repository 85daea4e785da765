package dev.engram.docs;

import java.util.Map;

/** A shell command a checked example may use: curl, mkdir -p, writing a file with a here-document, or cat of a file. */
sealed interface Command {

    /** Whether the command prints something the output block shows. */
    boolean prints();

    /**
     * {@code curl [-s|-S|-i|-N...] [-X METHOD] [-H 'Name: value']... [-d 'body'] host:port/path}.
     *
     * @param include {@code -i}: the status line and headers come before the body
     */
    record Curl(String method, String path, Map<String, String> headers, String body, boolean include)
            implements Command {
        public boolean prints() {
            return true;
        }
    }

    /** {@code cat > path <<'EOF'} … {@code EOF}. */
    record WriteFile(String path, String content) implements Command {
        public boolean prints() {
            return false;
        }
    }

    /** {@code mkdir -p path}. */
    record MakeDir(String path) implements Command {
        public boolean prints() {
            return false;
        }
    }

    /** {@code cat path}. */
    record ReadFile(String path) implements Command {
        public boolean prints() {
            return true;
        }
    }
}
