package dev.reversible.spring.diagnostics;

import dev.reversible.spring.metadata.ReversibleConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link ReversibleConfigurationException} the way Boot reports a missing bean: what is wrong
 * (bean, method, reason) and what to do, instead of a stack trace several bean creations deep.
 *
 * <pre>{@code
 * ***************************
 * APPLICATION FAILED TO START
 * ***************************
 * Description:
 * Bean 'payments' (com.example.Payments), method charge(String, BigDecimal): @ReversibleAction 'charge' has no ...
 * Action:
 * Fix the reversible annotations of bean 'payments' as described above ...
 * }</pre>
 */
public class ReversibleConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ReversibleConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ReversibleConfigurationException cause) {
        String bean = cause.getBeanName() != null ? "bean '" + cause.getBeanName() + "'" : "the bean";
        return new FailureAnalysis(cause.getMessage(),
                "Fix the reversible annotations of " + bean + " as described above (the method and the reason are in the "
                        + "description). The application will not start until every @ReversibleAction can be compensated.",
                cause);
    }
}
