package io.brook.broker.log;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal that makes replacing segments with a compacted one crash-safe.
 *
 * <p>The cleaner writes the new segment as {@code B.log.cleaned} (and its indexes), fsyncs it, and
 * then commits the swap by writing {@code segment-swap.journal} atomically:
 *
 * <pre>
 * new B
 * old B,B2,B3
 * </pre>
 *
 * Then the old segments' files are renamed to {@code .deleted}, the {@code .cleaned} files to
 * their final names, and the journal is removed. Recovery ({@link #recover}) reads the journal: if
 * {@code B.log.cleaned} still exists, the swap had not finished, so it deletes whatever is left of
 * the old segments and renames the cleaned log into place; its indexes, which may be half renamed,
 * are dropped and rebuilt by the loader, which rebuilds any missing index. Without a journal, any {@code
 * .cleaned} file is an unfinished cleaning and is deleted; the old segments are intact.
 */
final class SegmentSwap {

    static final String JOURNAL = "segment-swap.journal";

    private SegmentSwap() {}

    static void commit(File dir, long newBase, List<Long> oldBases) throws IOException {
        StringBuilder text = new StringBuilder("new ").append(newBase).append("\nold ");
        for (int i = 0; i < oldBases.size(); i++) {
            text.append(i == 0 ? "" : ",").append(oldBases.get(i));
        }
        text.append('\n');
        File tmp = new File(dir, JOURNAL + ".tmp");
        Files.write(tmp.toPath(), text.toString().getBytes(StandardCharsets.UTF_8));
        try (var channel = java.nio.channels.FileChannel.open(tmp.toPath(), java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp.toPath(), new File(dir, JOURNAL).toPath(), StandardCopyOption.ATOMIC_MOVE);
        LogFiles.fsyncDir(dir);
    }

    static void clear(File dir) throws IOException {
        Files.deleteIfExists(new File(dir, JOURNAL).toPath());
    }

    /** Finishes or drops an interrupted swap; see the class comment. */
    static void recover(File dir) throws IOException {
        File journal = new File(dir, JOURNAL);
        if (journal.exists()) {
            List<String> lines = Files.readAllLines(journal.toPath(), StandardCharsets.UTF_8);
            long newBase =
                    Long.parseLong(lines.get(0).substring("new ".length()).trim());
            List<Long> oldBases = new ArrayList<>();
            for (String s : lines.get(1).substring("old ".length()).trim().split(",")) {
                oldBases.add(Long.parseLong(s));
            }
            if (LogFiles.logFile(dir, newBase, LogFiles.CLEANED).exists()) {
                for (long old : oldBases) {
                    Files.deleteIfExists(LogFiles.logFile(dir, old, "").toPath());
                    Files.deleteIfExists(LogFiles.offsetIndexFile(dir, old, "").toPath());
                    Files.deleteIfExists(LogFiles.timeIndexFile(dir, old, "").toPath());
                }
                Files.move(
                        LogFiles.logFile(dir, newBase, LogFiles.CLEANED).toPath(),
                        LogFiles.logFile(dir, newBase, "").toPath(),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.delete(journal.toPath());
        }
        File[] leftovers = dir.listFiles((d, name) -> name.endsWith(LogFiles.CLEANED) || name.endsWith(".tmp"));
        if (leftovers != null) {
            for (File f : leftovers) {
                Files.deleteIfExists(f.toPath());
            }
        }
    }
}
