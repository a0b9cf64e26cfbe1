package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** Rule 4: {@code action(f, b)} and {@code action(contextFactory, f, b)}. */
class ContextActionTests {

    private final List<Object> seen = new ArrayList<>();

    @Test
    void bothHalvesReceiveTheSameContextObject() {
        ContextAction<Map<String, Object>, String> action = Reversible.action(
                ctx -> { seen.add(ctx); throw new IllegalStateException("fail"); },
                ctx -> seen.add(ctx));

        thrownBy(() -> Reversible.execute(action));

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isSameAs(seen.get(1)).isSameAs(action.context());
    }

    @Test
    void defaultContextIsAFreshMutableMapForEachActionInstance() throws Exception {
        ContextAction<Map<String, Object>, Object> first = Reversible.action(ctx -> ctx.put("k", "first"), ctx -> { });
        ContextAction<Map<String, Object>, Object> second = Reversible.action(ctx -> ctx.get("k"), ctx -> { });

        assertThat(first.context()).isEmpty();
        Reversible.execute(first);

        assertThat(first.context()).containsExactly(Map.entry("k", "first"));
        assertThat(second.context()).isNotSameAs(first.context()).isEmpty();
        assertThat(Reversible.execute(second)).isNull();
    }

    @Test
    void backwardsSeesWhatForwardsStoredInTheContext() {
        ContextAction<Map<String, Object>, Long> action = Reversible.action(
                ctx -> { ctx.put("orderId", 42L); throw new IllegalStateException("later failure"); },
                ctx -> seen.add(ctx.get("orderId")));

        thrownBy(() -> Reversible.execute(action));

        assertThat(seen).containsExactly(42L);
    }

    @Test
    void contextFactoryMakesOneContextPerActionInstanceSharedByBothHalves() {
        AtomicInteger made = new AtomicInteger();
        Supplier<List<String>> factory = () -> { made.incrementAndGet(); return new ArrayList<>(); };

        ContextAction<List<String>, Integer> action = Reversible.action(factory,
                ctx -> { ctx.add("forwards"); throw new IllegalStateException("fail"); },
                ctx -> ctx.add("backwards"));
        thrownBy(() -> Reversible.execute(action));
        ContextAction<List<String>, Integer> other = Reversible.action(factory, List::size, ctx -> { });

        assertThat(made).hasValue(2);
        assertThat(action.context()).containsExactly("forwards", "backwards");
        assertThat(other.context()).isNotSameAs(action.context()).isEmpty();
    }

    @Test
    void nullBackwardsIsRefusedWhenTheActionIsBuilt() {
        Throwable thrown = thrownBy(() -> Reversible.action(ctx -> "x", null));

        assertThat(thrown).isInstanceOfAny(NullPointerException.class, IllegalArgumentException.class)
                .hasMessageContaining("backwards");
    }

    @Test
    void nullBackwardsIsRefusedWithAContextFactoryBeforeAnyContextIsMade() {
        AtomicInteger made = new AtomicInteger();

        Throwable thrown = thrownBy(() -> Reversible.action(() -> made.incrementAndGet(), ctx -> "x", null));

        assertThat(thrown).isInstanceOfAny(NullPointerException.class, IllegalArgumentException.class)
                .hasMessageContaining("backwards");
        assertThat(made).hasValue(0);
    }

    @Test
    void nullForwardsOrContextFactoryIsRefused() {
        assertThat(thrownBy(() -> Reversible.action(null, ctx -> { })))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("forwards");
        assertThat(thrownBy(() -> Reversible.action((Supplier<Object>) null, ctx -> "x", ctx -> { })))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("contextFactory");
    }

    @Test
    void actionIsNamedActionUntilRenamedAndTheRenamedOneSharesTheContext() throws Exception {
        ContextAction<Map<String, Object>, Object> action = Reversible.action(ctx -> ctx.put("k", 1), ctx -> { });
        ContextAction<Map<String, Object>, Object> named = action.named("createOrder");

        assertThat(action.name()).isEqualTo("action");
        assertThat(named.name()).isEqualTo("createOrder");
        assertThat(named.toString()).contains("createOrder");
        assertThat(named.context()).isSameAs(action.context());
        Reversible.execute(named);
        assertThat(action.context()).containsEntry("k", 1);
    }

    @Test
    void renamingRefusesNull() {
        ContextAction<Map<String, Object>, Object> action = Reversible.action(ctx -> null, ctx -> { });

        assertThat(thrownBy(() -> action.named(null))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void contextOfACustomTypeCarriesStateFromForwardsToBackwards() {
        class OrderContext {
            Long orderId;
        }
        ContextAction<OrderContext, Long> action = Reversible.action(OrderContext::new,
                ctx -> { ctx.orderId = 7L; throw new IllegalStateException("fail"); },
                ctx -> seen.add(ctx.orderId));

        thrownBy(() -> Reversible.execute(action));

        assertThat(seen).containsExactly(7L);
    }

    @Test
    void contextMayBeAnyMapTheFactoryMakes() throws Exception {
        ContextAction<Map<String, Object>, Object> action = Reversible.action(() -> new HashMap<>(Map.of("seed", 1)),
                ctx -> ctx.get("seed"), ctx -> { });

        assertThat(Reversible.execute(action)).isEqualTo(1);
    }
}
