package io.brook.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into its stages and instructions, as {@code docker build} reads it:
 * continuation lines ({@code \} at the end) joined, comment lines and blank lines dropped, each
 * instruction split into its keyword (upper case) and the rest. Enough for tests to ask what a
 * stage is based on, what it runs, copies and exposes; not a full parser (no variable
 * substitution, no heredocs, which Brook's Dockerfiles do not use).
 *
 * @param stages the stages in order: one per {@code FROM}
 */
record Dockerfile(List<Stage> stages) {

    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    /** One instruction: {@code keyword} upper case, {@code args} the rest, trimmed. */
    record Instruction(String keyword, String args) {}

    /**
     * One build stage.
     *
     * @param image the {@code FROM} image
     * @param name its {@code AS} name, or empty
     * @param instructions the instructions after the {@code FROM}
     */
    record Stage(String image, String name, List<Instruction> instructions) {

        List<String> all(String keyword) {
            return instructions.stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .map(Instruction::args)
                    .toList();
        }

        /** The ENV instructions' variables (key=value form, several per instruction, values maybe quoted). */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            Matcher pair = ENV_PAIR.matcher(String.join(" ", all("ENV")));
            while (pair.find()) {
                env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
            }
            return env;
        }

        Optional<String> last(String keyword) {
            List<String> all = all(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }
    }

    static Dockerfile parse(String text) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                logical.add(current.toString().strip());
                current.setLength(0);
            }
        }
        List<Stage> stages = new ArrayList<>();
        for (String line : logical) {
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String args = parts.length > 1 ? parts[1].strip() : "";
            if (keyword.equals("FROM")) {
                String[] from = args.split("\\s+");
                String name = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "";
                stages.add(new Stage(from[0], name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalArgumentException(keyword + " before the first FROM");
                }
            } else {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, args));
            }
        }
        return new Dockerfile(List.copyOf(stages));
    }

    Stage first() {
        return stages.get(0);
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }
}
