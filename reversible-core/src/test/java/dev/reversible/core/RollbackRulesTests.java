package dev.reversible.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class RollbackRulesTests {

    @Test
    void aRollbackRuleThatThrowsRollsBackAndAttachesItsOwnFailure() {
        List<String> calls = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("boom");
        IllegalArgumentException ruleFailure = new IllegalArgumentException("broken rule");
        CompositeAction<Object> saga = Reversible.gen(scope -> {
            scope.run(Reversible.action(c -> calls.add("f1"), c -> calls.add("b1")));
            throw failure;
        }).rollbackOn(e -> {
            throw ruleFailure;
        });

        Throwable thrown = catchThrowable(() -> Reversible.execute(saga));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).containsExactly(ruleFailure);
        assertThat(calls).containsExactly("f1", "b1");
    }

    @Test
    void theRuleSeesTheOriginalFailureBehindACompensationFailure() {
        List<Throwable> seen = new ArrayList<>();
        IllegalStateException original = new IllegalStateException("original");
        CompositeAction<Object> saga = Reversible.gen(scope -> scope.run(Reversible.action(c -> {
            throw original;
        }, c -> {
            throw new IllegalStateException("cannot undo");
        }))).rollbackOn(e -> seen.add(e));

        Throwable thrown = catchThrowable(() -> Reversible.execute(saga));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(original);
        assertThat(seen).containsExactly(original);
    }
}
