package dev.reversible.spring.observation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.reversible.core.SagaInfo;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Pairs the end events of sagas, steps and compensations with what a listener bound to a thread when they
 * started (an observation scope, MDC entries), and makes sure that a thread gives back what was bound to it,
 * on that thread, in reverse order of binding.
 *
 * <p>Events carry a saga and a step name only. A synchronous step ends on the thread it started on, after
 * everything started within it: its frame is found on that thread's stack, and whatever lies above it has
 * returned too (the thread's own call stack says so) and is unbound with it. An asynchronous step may end
 * on another thread: its frame is then found among the saga's open frames (the earliest started of that
 * name), marked ended, and unbound by its own thread at that thread's next event — a thread-local can only be
 * restored on its own thread. The stack is removed from the thread when it empties.
 */
final class ThreadFrames<F extends ThreadFrames.Frame> {

    private static final Log LOG = LogFactory.getLog(ThreadFrames.class);

    /** What a frame stands for. */
    enum Kind {
        SAGA, STEP, COMPENSATION
    }

    /** One saga, step or compensation, and what it bound to the thread it started on. */
    abstract static class Frame {

        final SagaInfo saga;
        final Kind kind;
        final String name;
        /** Set by whichever thread receives the end event; read by the owning thread when it prunes. */
        volatile boolean ended;
        /** Touched on the owning thread only. */
        private boolean bound = true;

        Frame(SagaInfo saga, Kind kind, String name) {
            this.saga = saga;
            this.kind = kind;
            this.name = name;
        }

        /** Gives back what the frame bound to its thread; called once, on that thread. */
        abstract void unbind();

        final boolean matches(SagaInfo saga, Kind kind, String name) {
            return !ended && this.saga == saga && this.kind == kind && this.name.equals(name);
        }
    }

    /** How an end event was paired. */
    record Ended<F>(F frame, boolean onItsThread) {
    }

    private final ThreadLocal<ArrayDeque<F>> stacks = new ThreadLocal<>();

    /** Per saga (by identity), its frames not yet ended, in order of start; the saga's own frame first. */
    private final Map<SagaInfo, List<F>> open = new ConcurrentHashMap<>();

    /** Binds nothing itself: {@code frame} has bound its part already, on this thread. */
    void push(F frame) {
        ArrayDeque<F> stack = stacks.get();
        if (stack == null) {
            stack = new ArrayDeque<>();
            stacks.set(stack);
        } else {
            prune(stack);
        }
        stack.push(frame);
        List<F> frames = open.computeIfAbsent(frame.saga, saga -> new ArrayList<>(4));
        synchronized (frames) {
            frames.add(frame);
        }
    }

    /**
     * @return the innermost frame of {@code saga} still running on this thread (a step whose forwards is
     *     running, or the saga's body), else the saga's own frame wherever it runs, else {@code null}
     */
    F parentOf(SagaInfo saga) {
        ArrayDeque<F> stack = stacks.get();
        if (stack != null) {
            prune(stack);
            for (F frame : stack) {
                if (frame.saga == saga && !frame.ended && frame.kind != Kind.COMPENSATION) {
                    return frame;
                }
            }
        }
        return sagaFrame(saga);
    }

    /** @return the frame of the saga itself, or {@code null} when it is not running */
    F sagaFrame(SagaInfo saga) {
        List<F> frames = open.get(saga);
        if (frames == null) {
            return null;
        }
        synchronized (frames) {
            for (F frame : frames) {
                if (frame.kind == Kind.SAGA) {
                    return frame;
                }
            }
        }
        return null;
    }

    /**
     * Pairs an end event with its frame and marks it ended; on the frame's own thread, unbinds it and every
     * frame above it.
     * @return the frame and whether it was unbound here, or {@code null} when no open frame matches
     */
    Ended<F> end(SagaInfo saga, Kind kind, String name) {
        ArrayDeque<F> stack = stacks.get();
        if (stack != null) {
            F found = null;
            for (F frame : stack) {
                if (frame.matches(saga, kind, name)) {
                    found = frame;
                    break;
                }
            }
            if (found != null) {
                F top;
                do {
                    top = stack.pop();
                    if (top == found) {
                        top.ended = true;
                        close(top);
                    }
                    unbind(top);
                } while (top != found);
                prune(stack);
                if (stack.isEmpty()) {
                    stacks.remove();
                }
                return new Ended<>(found, true);
            }
            prune(stack);
            if (stack.isEmpty()) {
                stacks.remove();
            }
        }
        F elsewhere = closeOpen(saga, kind, name);
        return elsewhere == null ? null : new Ended<>(elsewhere, false);
    }

    /**
     * This thread leaves a frame that runs on — an asynchronous step whose forwards returned, an asynchronous
     * saga whose body returned: unbinds it (and whatever lies above it) here, now, and keeps it open, so
     * that its end, on whichever thread, still pairs with it.
     */
    void detach(SagaInfo saga, Kind kind, String name) {
        ArrayDeque<F> stack = stacks.get();
        if (stack == null) {
            return;
        }
        F found = null;
        for (F frame : stack) {
            if (frame.saga == saga && frame.kind == kind && frame.name.equals(name)) {
                found = frame;
                break;
            }
        }
        if (found != null) {
            F top;
            do {
                top = stack.pop();
                unbind(top);
            } while (top != found);
        }
        prune(stack);
        if (stack.isEmpty()) {
            stacks.remove();
        }
    }

    /** Forgets a saga's frames once it ended: any still open can no longer be paired (events are per saga). */
    void forget(SagaInfo saga) {
        List<F> frames = open.remove(saga);
        if (frames != null) {
            synchronized (frames) {
                frames.forEach(frame -> frame.ended = true);
            }
        }
    }

    private F closeOpen(SagaInfo saga, Kind kind, String name) {
        List<F> frames = open.get(saga);
        if (frames == null) {
            return null;
        }
        synchronized (frames) {
            for (F frame : frames) {
                if (frame.matches(saga, kind, name)) {
                    frame.ended = true;
                    frames.remove(frame);
                    return frame;
                }
            }
        }
        return null;
    }

    private void close(F frame) {
        List<F> frames = open.get(frame.saga);
        if (frames != null) {
            synchronized (frames) {
                // Latest first: a synchronous frame is almost always the last one opened.
                for (int i = frames.size() - 1; i >= 0; i--) {
                    if (frames.get(i) == frame) {
                        frames.remove(i);
                        break;
                    }
                }
            }
        }
    }

    /** Unbinds the frames on top that ended on another thread. */
    private void prune(ArrayDeque<F> stack) {
        for (F top = stack.peek(); top != null && top.ended; top = stack.peek()) {
            unbind(stack.pop());
        }
    }

    private static void unbind(Frame frame) {
        if (frame.bound) {
            frame.bound = false;
            try {
                frame.unbind();
            } catch (RuntimeException e) {
                // Keep unbinding the rest: one failing frame must not leave the others on the thread.
                LOG.warn("Could not unbind " + frame.kind + " " + frame.name + " of " + frame.saga + " from its thread", e);
            }
        }
    }

    /** @return the frames bound to this thread, innermost first (for tests) */
    List<F> boundHere() {
        ArrayDeque<F> stack = stacks.get();
        List<F> frames = new ArrayList<>();
        if (stack != null) {
            Iterator<F> it = stack.iterator();
            it.forEachRemaining(frames::add);
        }
        return frames;
    }
}
