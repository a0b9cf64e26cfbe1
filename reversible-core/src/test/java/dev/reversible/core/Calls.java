package dev.reversible.core;

import java.util.ArrayList;
import java.util.List;

/** A thread-safe log of what the steps did, compared exactly by the tests. */
final class Calls {

    private final List<String> log = new ArrayList<>();

    synchronized void add(String call) {
        log.add(call);
    }

    synchronized List<String> list() {
        return List.copyOf(log);
    }

    synchronized boolean contains(String call) {
        return log.contains(call);
    }
}
