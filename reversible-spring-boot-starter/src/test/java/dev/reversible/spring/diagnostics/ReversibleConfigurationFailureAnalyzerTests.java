package dev.reversible.spring.diagnostics;

import dev.reversible.spring.annotation.ReversibleAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class ReversibleConfigurationFailureAnalyzerTests {

    static class Payments {
        @ReversibleAction
        public long charge(String customer, java.math.BigDecimal amount) {
            return 1L;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Payments payments() {
            return new Payments();
        }
    }

    @Test
    void missingHandlerIsReportedAsAFailureAnalysisNamingBeanMethodAndExpectedSignature(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(application::run);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Bean 'payments' (" + Payments.class.getName() + "), method charge(String, BigDecimal): "
                        + "@ReversibleAction 'charge' has no @Compensate(\"charge\") handler on the same bean. "
                        + "Expected: @Compensate(\"charge\") void anyName(String, BigDecimal[, Long result][, CompensationContext context])")
                .contains("Fix the reversible annotations of bean 'payments'");
    }
}
