package dev.reversible.test;

import dev.reversible.test.SagaVerification.Status;
import dev.reversible.test.sample.Shop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** Steps' parents (rule 14) on a gift order, whose {@code wrap} action charges its fee through the {@code charge} action. */
@SpringBootTest
@AutoConfigureReversibleTest
class StepParentsTests {

    private static final String NL = System.lineSeparator();

    @Autowired
    SagaRecorder recorder;

    @Autowired
    FailureInjector injector;

    @Autowired
    SagaVerifier verifier;

    @Autowired
    Shop shop;

    @BeforeEach
    void resetShop() {
        shop.reset();
    }

    @Test
    void actionCalledFromAnotherActionsForwardsIsRecordedAsItsChild() {
        shop.placeGiftOrder("alice", "BOOK", 1);

        RecordedSaga saga = recorder.lastSaga();
        assertThat(saga.steps()).extracting(RecordedStep::name, RecordedStep::index, RecordedStep::parentIndex)
                .containsExactly(tuple("reserve", 0, -1), tuple("wrap", 1, -1),
                        tuple("charge", 2, 1), tuple("book", 3, -1));
        assertThat(saga.parentOf(saga.steps().get(2))).contains(saga.steps().get(1));
        assertThat(saga.parentOf(saga.steps().get(1))).isEmpty();
        assertThat(saga.childrenOf(saga.steps().get(1))).containsExactly(saga.steps().get(2));
        SagaAssertions.assertThat(saga).wasCompleted()
                .step("charge").hasParent("wrap")
                .step("wrap").isTopLevel().hasChildren("charge")
                .step("reserve").isTopLevel().hasChildren()
                .saga().stepsInOrder("reserve", "wrap", "charge", "book");
    }

    // tag::childBeforeParent[]
    @Test
    void childIsCompensatedBeforeItsParent() {
        injector.failAction("book", new IllegalStateException("carrier down"));

        assertThatThrownBy(() -> shop.placeGiftOrder("alice", "BOOK", 1)).hasMessage("carrier down");

        SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().compensatedInOrder("book", "charge", "wrap", "reserve")
                .step("charge").hasParent("wrap");
    }
    // end::childBeforeParent[]

    @Test
    void everyStepOfASagaWithANestedStepIsUndone() {
        SagaVerification verification = verifier.forEachStep(() -> shop.placeGiftOrder("alice", "BOOK", 1), shop::state);

        assertThat(verification.steps()).containsExactly("reserve", "wrap", "charge", "book");
        assertThat(verification.runs()).hasSize(10).extracting(SagaVerification.Run::status).containsOnly(Status.PASSED);
    }

    @Test
    void hasParentOnATopLevelStepSaysItIsTopLevel() {
        shop.placeGiftOrder("alice", "BOOK", 1);

        assertThatThrownBy(() -> SagaAssertions.assertThat(recorder.lastSaga()).step("book").hasParent("wrap"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(NL + "Expecting step 'book' (step 3, top-level) of saga Shop.placeGiftOrder (")
                .hasMessageEndingWith(", COMPLETED, steps [reserve, wrap, charge, book]) to have parent 'wrap'" + NL
                        + "but it is top-level: no step's forwards started it");
    }

    @Test
    void hasParentNamingTheWrongParentShowsTheRealOne() {
        shop.placeGiftOrder("alice", "BOOK", 1);

        assertThatThrownBy(() -> SagaAssertions.assertThat(recorder.lastSaga()).step("charge").hasParent("reserve"))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have parent 'reserve'" + NL + "but its parent is 'wrap' (step 1, top-level)");
    }

    @Test
    void isTopLevelOnAChildNamesItsParent() {
        shop.placeGiftOrder("alice", "BOOK", 1);

        assertThatThrownBy(() -> SagaAssertions.assertThat(recorder.lastSaga()).step("charge").isTopLevel())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(NL + "Expecting step 'charge' (step 2, child of step 1) of saga Shop.placeGiftOrder (")
                .hasMessageEndingWith("to be top-level" + NL + "but its parent is 'wrap' (step 1, top-level)");
    }

    @Test
    void hasChildrenShowsExpectedAndActualChildren() {
        shop.placeGiftOrder("alice", "BOOK", 1);

        assertThatThrownBy(() -> SagaAssertions.assertThat(recorder.lastSaga()).step("wrap").hasChildren("charge", "book"))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have children, in order of start,:" + NL + "  [charge, book]" + NL + "but had:" + NL + "  [charge]");
    }

    @Test
    void stepOfAnUnknownNameSaysHowManyThereWere() {
        shop.placeGiftOrder("alice", "BOOK", 1);

        assertThatThrownBy(() -> SagaAssertions.assertThat(recorder.lastSaga()).step("ship")).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith(", COMPLETED, steps [reserve, wrap, charge, book]) to have one step 'ship'" + NL + "but it had 0");
    }
}
