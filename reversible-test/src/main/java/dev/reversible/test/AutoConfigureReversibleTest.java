package dev.reversible.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Adds the test kit to a test's application context: a {@link SagaRecorder}, a {@link FailureInjector}
 * with its advisor, and a {@link SagaVerifier}, all reset before each test. The auto-configurations it
 * imports are listed in {@code META-INF/spring/dev.reversible.test.AutoConfigureReversibleTest.imports}.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureReversibleTest
 * class OrderSagaTests {
 *     @Autowired SagaRecorder recorder;
 *     @Autowired FailureInjector injector;
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureReversibleTest {
}
