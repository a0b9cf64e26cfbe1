package dev.reversible.spring.observation;

/**
 * What the {@code reversible.step} observation of one step carries: its action's name, its saga and, once it
 * ended, its outcome ({@code completed | failed}).
 */
public class StepObservationContext extends ActionObservationContext {

    /**
     * @param sagaName the name of the outermost saga the step belongs to
     * @param sagaId that saga's id
     * @param action the step's action name
     */
    public StepObservationContext(String sagaName, String sagaId, String action) {
        super(sagaName, sagaId, action);
    }
}
