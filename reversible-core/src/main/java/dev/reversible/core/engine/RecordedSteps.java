package dev.reversible.core.engine;

import dev.reversible.core.RecordedSaga;
import dev.reversible.core.SagaInfo;

import java.util.HashMap;
import java.util.Map;

/**
 * Lays the steps of a {@link RecordedSaga} out as the live engine lays out its own (rule 14): each step in its
 * parent's journal, after the parent in slot 0, siblings in the order they started — so that {@link Rollback} walks
 * them in the same order as a live rollback. Iterative, so that a chain of 100,000 nested steps needs no stack.
 */
final class RecordedSteps {

    private RecordedSteps() {
    }

    /**
     * @param run the saga the steps are placed in: listeners see each step at its recorded index and parent
     * @param indexes the steps' indexes, ascending
     * @param parentIndexes per step, its parent's index, or -1
     * @param actions per step, what undoes it, or {@code null} when it is compensated already
     * @return the saga's journal
     */
    static Journal journal(SagaInfo run, int[] indexes, int[] parentIndexes, Object[] actions) {
        Journal root = new Journal();
        Map<Integer, Placed> placed = new HashMap<>(indexes.length * 2);
        for (int i = 0; i < indexes.length; i++) {
            Placed parent = parentIndexes[i] < 0 ? null : placed.get(parentIndexes[i]);
            Journal container = parent == null ? root : parent.children();
            Object entry = actions[i] == null ? null : PlacedStep.of(actions[i], run, indexes[i], parentIndexes[i]);
            int slot = container.reserve();
            container.set(slot, entry);
            placed.put(indexes[i], new Placed(container, slot, entry));
        }
        return root;
    }

    /** Where a recorded step stands: its own children's journal is made when its first child is placed. */
    private static final class Placed {
        private final Journal container;
        private final int slot;
        private final Object entry;
        private Journal children;

        Placed(Journal container, int slot, Object entry) {
            this.container = container;
            this.slot = slot;
            this.entry = entry;
        }

        Journal children() {
            if (children == null) {
                // The step itself in slot 0, its children after it: reversed, the children go first.
                children = Journal.of(entry);
                container.set(slot, children);
            }
            return children;
        }
    }
}
