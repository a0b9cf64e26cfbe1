package dev.reversible.test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Describes where two snapshots of the application's state differ: by key in maps, by index in lists of one size. */
final class StateDiff {

    private StateDiff() {
    }

    /** @return one line per difference, each starting with its path */
    static List<String> differences(Object before, Object after) {
        List<String> lines = new ArrayList<>();
        collect("state", before, after, lines);
        return lines;
    }

    private static void collect(String path, Object before, Object after, List<String> lines) {
        if (Objects.equals(before, after)) {
            return;
        }
        if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
            Set<Object> keys = new LinkedHashSet<>(b.keySet());
            keys.addAll(a.keySet());
            for (Object key : keys) {
                if (!b.containsKey(key)) {
                    lines.add(path + "." + key + ": absent before, " + a.get(key) + " after");
                }
                else if (!a.containsKey(key)) {
                    lines.add(path + "." + key + ": " + b.get(key) + " before, absent after");
                }
                else {
                    collect(path + "." + key, b.get(key), a.get(key), lines);
                }
            }
        }
        else if (before instanceof List<?> b && after instanceof List<?> a && b.size() == a.size()) {
            for (int i = 0; i < b.size(); i++) {
                collect(path + "[" + i + "]", b.get(i), a.get(i), lines);
            }
        }
        else {
            lines.add(path + ": " + before + " before, " + after + " after");
        }
    }
}
