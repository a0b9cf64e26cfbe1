package dev.reversible.demo.compensation;

/**
 * One compensation handler's record for an order.
 *
 * @param sagaId the saga execution the step belonged to (as on {@code /actuator/reversible})
 * @param stepIndex the step's position in the saga, from 0
 * @param step the step's action name
 * @param outcome what the handler did
 */
public record CompensationEntry(String sagaId, int stepIndex, String step, CompensationOutcome outcome) {
}
