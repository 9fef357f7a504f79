package dev.tu.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The upload progress line as a terminal receives it. */
class ProgressBarTest {

    private final StringWriter err = new StringWriter();

    @Test
    void onATerminalTheBarIsRedrawnInPlaceFromEmptyToFull() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true);

        bar.update("photo.jpg", 0, 200);
        assertThat(err.toString()).isEqualTo("\r" + label("photo.jpg") + " [" + ".".repeat(30) + "]   0%");

        bar.update("photo.jpg", 100, 200);
        assertThat(lastFrame()).isEqualTo("\r" + label("photo.jpg") + " [" + "#".repeat(15) + ".".repeat(15) + "]  50%");

        bar.update("photo.jpg", 200, 200);
        assertThat(lastFrame()).isEqualTo("\r" + label("photo.jpg") + " [" + "#".repeat(30) + "] 100%");

        int frames = err.toString().split("\r", -1).length - 1;
        bar.update("photo.jpg", 200, 200);
        assertThat(err.toString().split("\r", -1).length - 1).as("the same percentage is not drawn twice").isEqualTo(frames);

        bar.finish("photo.jpg", "uploaded");
        assertThat(err.toString()).endsWith("\r" + " ".repeat(70) + "\r" + label("photo.jpg") + " uploaded" + System.lineSeparator());
    }

    @Test
    void moreBytesThanAnnouncedOrAnEmptyFileShowAFullBar() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true);
        bar.update("a.jpg", 500, 200);
        assertThat(lastFrame()).endsWith("[" + "#".repeat(30) + "] 100%");
        bar.finish("a.jpg", "uploaded");
        bar.update("b.jpg", 0, 0);
        assertThat(lastFrame()).endsWith("[" + "#".repeat(30) + "] 100%");
    }

    @Test
    void inALogOnlyTheOutcomeLineIsWritten() {
        ProgressBar bar = new ProgressBar(new PrintWriter(err), false);
        bar.update("photo.jpg", 0, 200);
        bar.update("photo.jpg", 100, 200);
        assertThat(err.toString()).isEmpty();
        bar.finish("photo.jpg", "refused");
        assertThat(err.toString()).isEqualTo(label("photo.jpg") + " refused" + System.lineSeparator());
    }

    private static String label(String name) {
        return String.format("%-32s", name);
    }

    private String lastFrame() {
        String all = err.toString();
        return all.substring(all.lastIndexOf('\r'));
    }
}
