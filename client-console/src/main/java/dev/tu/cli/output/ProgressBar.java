package dev.tu.cli.output;

import java.io.PrintWriter;

/**
 * One line of upload progress on stderr, redrawn in place ({@code \r}) while bytes leave; a plain final
 * line when the output is not a terminal, so logs stay readable.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean interactive;
    private int lastPercent = -1;

    public ProgressBar(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    public synchronized void update(String label, long done, long total) {
        int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
        if (percent == lastPercent || !interactive) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        err.printf("\r%-32.32s [%s%s] %3d%%", label, "#".repeat(filled), ".".repeat(WIDTH - filled), percent);
        err.flush();
    }

    public synchronized void finish(String label, String outcome) {
        if (interactive) {
            err.print("\r" + " ".repeat(32 + WIDTH + 8) + "\r");
        }
        err.printf("%-32.32s %s%n", label, outcome);
        err.flush();
        lastPercent = -1;
    }
}
