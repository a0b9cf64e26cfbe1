package dev.reversible.spring.metadata;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RollbackRule}: the listed class closest to the failure in its class hierarchy wins;
 * no match rolls back; a class in both lists is refused.
 */
class RollbackRuleTests {

    @Test
    void withoutNoRollbackForEveryFailureRollsBack() {
        RollbackRule rule = RollbackRule.of(List.of(IOException.class), List.of());
        assertThat(rule).isSameAs(RollbackRule.ALWAYS);
        assertThat(rule.test(new IOException())).isTrue();
        assertThat(rule.test(new IllegalStateException())).isTrue();
        assertThat(rule.test(new Exception())).isTrue();
        assertThat(rule.test(new AssertionError())).isTrue();
    }

    @Test
    void noRollbackForKeepsTheStepsForThatClassAndItsSubclasses() {
        RollbackRule rule = RollbackRule.of(List.of(), List.of(IOException.class));
        assertThat(rule.test(new IOException())).isFalse();
        assertThat(rule.test(new FileNotFoundException())).isFalse();
    }

    @Test
    void failureMatchingNoListedClassRollsBack() {
        RollbackRule rule = RollbackRule.of(List.of(FileNotFoundException.class), List.of(IOException.class));
        assertThat(rule.test(new IllegalStateException())).isTrue();
        assertThat(rule.test(new Exception())).isTrue();
        assertThat(rule.test(new Throwable())).isTrue();
    }

    @Test
    void rollbackForMoreSpecificThanNoRollbackForWins() {
        RollbackRule rule = RollbackRule.of(List.of(FileNotFoundException.class), List.of(IOException.class));
        assertThat(rule.test(new FileNotFoundException())).isTrue();
        assertThat(rule.test(new MissingConfigurationFile())).isTrue();
        assertThat(rule.test(new IOException())).isFalse();
        assertThat(rule.test(new EOFException())).isFalse();
    }

    @Test
    void noRollbackForMoreSpecificThanRollbackForWins() {
        RollbackRule rule = RollbackRule.of(List.of(IOException.class), List.of(FileNotFoundException.class));
        assertThat(rule.test(new FileNotFoundException())).isFalse();
        assertThat(rule.test(new MissingConfigurationFile())).isFalse();
        assertThat(rule.test(new IOException())).isTrue();
        assertThat(rule.test(new EOFException())).isTrue();
    }

    @Test
    void closestClassWinsAcrossSeveralLevels() {
        RollbackRule rule = RollbackRule.of(List.of(Exception.class, FileNotFoundException.class),
                List.of(IOException.class, MissingConfigurationFile.class));
        assertThat(rule.test(new MissingConfigurationFile())).isFalse();
        assertThat(rule.test(new FileNotFoundException())).isTrue();
        assertThat(rule.test(new EOFException())).isFalse();
        assertThat(rule.test(new IllegalStateException())).isTrue();
    }

    @Test
    void classInBothListsIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RollbackRule.of(List.of(IllegalStateException.class, IOException.class), List.of(IOException.class)))
                .withMessage("java.io.IOException is in both rollbackFor and noRollbackFor");
    }

    @Test
    void toStringListsBothClasses() {
        assertThat(RollbackRule.of(List.of(FileNotFoundException.class), List.of(IOException.class)))
                .hasToString("RollbackRule[rollbackFor=[class java.io.FileNotFoundException], noRollbackFor=[class java.io.IOException]]");
    }

    static class MissingConfigurationFile extends FileNotFoundException {

        private static final long serialVersionUID = 1L;
    }
}
