package dev.reversible.spring.aot;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints registered ahead of time for the beans the starter reflects on, checked with
 * {@link RuntimeHintsPredicates}: the AOT processing of a context holding a sample bean (the processor found
 * through {@code META-INF/spring/aot.factories}, as Spring Boot's {@code process-aot} finds it).
 */
class ReversibleAotHintsTests {

    private final RuntimeHints hints = processAheadOfTime(Shipping.class, Plain.class);

    @Test
    void sagaActionAndHandlerMethodsAreInvocable() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection().onType(Shipping.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shipping.class.getMethod("ship", Parcel.class)))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shipping.class.getMethod("book", Parcel.class)))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                Shipping.class.getDeclaredMethod("cancel", Parcel.class, Label.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shipping.class.getMethod("track", String.class)))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shipping.class.getMethod("untrack", String.class)))
                .accepts(hints);
    }

    @Test
    void durablePayloadTypesAreBindable() throws Exception {
        // A durable action's argument, its result (unwrapped from the future), and a type nested in a payload.
        for (Class<?> payload : List.of(Parcel.class, Label.class, Address.class)) {
            assertThat(RuntimeHintsPredicates.reflection().onType(payload)).as(payload.getSimpleName()).accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(
                Parcel.class.getDeclaredConstructor(String.class, Address.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Parcel.class.getMethod("sku"))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Label.class.getMethod("barcode"))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(
                Label.class.getDeclaredConstructor(String.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Address.class.getMethod("country"))).accepts(hints);
    }

    @Test
    void aNonDurableActionsPayloadIsNotRegistered() {
        assertThat(RuntimeHintsPredicates.reflection().onType(Memo.class)).rejects(hints);
    }

    @Test
    void beansWithoutSagasOrActionsGetNoContribution() throws Exception {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(Plain.class));
        beanFactory.registerBeanDefinition("shipping", new RootBeanDefinition(Shipping.class));
        ReversibleBeanRegistrationAotProcessor processor = new ReversibleBeanRegistrationAotProcessor();
        assertThat(processor.processAheadOfTime(RegisteredBean.of(beanFactory, "plain"))).isNull();
        assertThat(processor.processAheadOfTime(RegisteredBean.of(beanFactory, "shipping"))).isNotNull();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Plain.class.getMethod("name"))).rejects(hints);
    }

    @Test
    void theStarterRegistersItsResources() {
        assertThat(RuntimeHintsPredicates.resource().forResource("dev/reversible/jdbc/schema-h2.sql")).accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("dev/reversible/jdbc/schema-upgrade-3-postgresql.sql"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("dev/reversible/spring/console/console.js")).accepts(hints);
    }

    @Test
    void theProcessorIsListedInAotFactories() {
        assertThat(AotServices.factories().load(BeanRegistrationAotProcessor.class))
                .hasAtLeastOneElementOfType(ReversibleBeanRegistrationAotProcessor.class);
    }

    private static RuntimeHints processAheadOfTime(Class<?>... beanClasses) {
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            for (Class<?> beanClass : beanClasses) {
                context.registerBeanDefinition(beanClass.getSimpleName(), new RootBeanDefinition(beanClass));
            }
            DefaultGenerationContext generation = new DefaultGenerationContext(new ClassNameGenerator(ClassName.get("com.example", "App")),
                    new InMemoryGeneratedFiles());
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            return generation.getRuntimeHints();
        }
    }

    public record Address(String street, String country) {
    }

    public record Parcel(String sku, Address to) {
    }

    public record Label(String barcode) {
    }

    public record Memo(String text) {
    }

    public static class Shipping {

        @ReversibleSaga
        public Label ship(Parcel parcel) {
            return book(parcel).join();
        }

        @ReversibleAction
        public CompletableFuture<Label> book(Parcel parcel) {
            return CompletableFuture.completedFuture(new Label(parcel.sku()));
        }

        @Compensate("book")
        void cancel(Parcel parcel, Label label) {
        }

        @ReversibleAction(durable = false)
        public Memo track(String id) {
            return new Memo(id);
        }

        @Compensate("track")
        public void untrack(String id) {
        }
    }

    public static class Plain {

        public String name() {
            return "plain";
        }
    }
}
