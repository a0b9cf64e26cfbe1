package dev.reversible.spring.metadata;

/**
 * What an annotated method is, parsed once: a saga boundary or a step.
 *
 * <pre>{@code
 * switch (source.find(method, targetClass)) {
 *     case SagaSpec saga -> ...;
 *     case ActionSpec action -> ...;
 * }
 * }</pre>
 */
public sealed interface OperationSpec permits SagaSpec, ActionSpec {

    /** @return the saga or action name used in events, metrics and the endpoint */
    String name();
}
