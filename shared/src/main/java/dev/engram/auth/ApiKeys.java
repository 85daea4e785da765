package dev.engram.auth;

import dev.engram.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configured keys, as SHA-256 digests only. A presented key is hashed and compared with every
 * configured digest by {@link MessageDigest#isEqual} (constant time), without stopping at a match, so
 * the time taken says nothing about which key, or how much of one, was right.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private record Entry(byte[] digest, Caller caller) {}

    private final List<Entry> entries = new ArrayList<>();

    public ApiKeys(AuthConfig config) {
        for (String entry : config.keys().orElse(List.of())) {
            int colon = entry.lastIndexOf(':');
            String tenant = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (!Tenant.valid(tenant)) {
                throw new IllegalArgumentException(
                        "engram.auth.keys: each entry is <tenant>:<sha256-hex>, the tenant 1-64 characters"
                                + " of A-Z a-z 0-9 _ -; got an entry with tenant '" + tenant + "'");
            }
            entries.add(new Entry(digest("engram.auth.keys", entry.substring(colon + 1)), Caller.tenant(tenant)));
        }
        for (String hash : config.adminKeys().orElse(List.of())) {
            entries.add(new Entry(digest("engram.auth.admin-keys", hash), Caller.ADMIN));
        }
    }

    /** The caller whose key this is, if any. */
    public Optional<Caller> find(String key) {
        byte[] presented = sha256(key);
        Caller found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest, presented) && found == null) {
                found = entry.caller;
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return entries.size();
    }

    /** The hex SHA-256 of a key: what goes into the configuration. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private static byte[] digest(String property, String hex) {
        String clean = hex.trim().toLowerCase(Locale.ROOT);
        if (!HEX.matcher(clean).matches()) {
            // Never echo the value: a key pasted in clear by mistake must not reach the log.
            throw new IllegalArgumentException(
                    property + ": expected the 64-hex-digit SHA-256 of a key (printf %s \"$KEY\" | sha256sum),"
                            + " got " + clean.length() + " characters that are not one");
        }
        return HexFormat.of().parseHex(clean);
    }

    /** {@code java -cp shared/target/classes dev.engram.auth.ApiKeys KEY}: prints the hash to configure. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ApiKeys <key>   (prints its sha256 hex for engram.auth.keys)");
            System.exit(2);
        }
        System.out.println(hash(args[0]));
    }
}
