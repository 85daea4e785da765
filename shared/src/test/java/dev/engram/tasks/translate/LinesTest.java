package dev.engram.tasks.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What of a line is kept as it is and what goes to the model. */
class LinesTest {
    @Test
    void markersIndentationAndLineEndsAreKept() {
        String text = "# Title\n\n  - item one  \r\n* two\n12) twelve\n3. three\n> quoted\n---\n2024\nplain words";
        List<Lines.Line> lines = Lines.of(text).lines();
        assertThat(lines)
                .extracting(Lines.Line::prefix)
                .containsExactly("# ", "", "  - ", "* ", "12) ", "3. ", "> ", "", "", "");
        assertThat(lines)
                .extracting(Lines.Line::words)
                .containsExactly(
                        "Title", "", "item one", "two", "twelve", "three", "quoted", "---", "2024", "plain words");
        assertThat(lines.get(2).suffix()).isEqualTo("  \r");
        assertThat(lines)
                .extracting(Lines.Line::translatable)
                .containsExactly(true, false, true, true, true, true, true, false, false, true);
        StringBuilder back = new StringBuilder();
        for (Lines.Line line : lines) {
            back.append(back.isEmpty() && line == lines.getFirst() ? "" : "\n")
                    .append(line.prefix())
                    .append(line.words())
                    .append(line.suffix());
        }
        assertThat(back.toString()).isEqualTo(text);
    }
}
