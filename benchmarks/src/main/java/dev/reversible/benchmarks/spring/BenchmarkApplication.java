package dev.reversible.benchmarks.spring;

import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * The application the Spring benchmarks call into: the starter as its auto-configuration builds it,
 * AspectJ auto-proxying and transaction management with class-based proxies (Spring Boot's defaults),
 * a no-op interceptor advisor beside the no-op aspect, and one bean per variant. A plain context rather than {@code SpringApplication}: nothing depends on
 * finding auto-configurations inside the shaded jar, and nothing else (web, metrics) adds advice.
 */
@Configuration(proxyBeanMethods = false)
@EnableAspectJAutoProxy(proxyTargetClass = true)
@EnableTransactionManagement(proxyTargetClass = true)
@Import(ReversibleAutoConfiguration.class)
public class BenchmarkApplication {

    /** @return a started context; close it when done */
    public static AnnotationConfigApplicationContext start() {
        return new AnnotationConfigApplicationContext(BenchmarkApplication.class);
    }

    @Bean
    NoOpAspect noOpAspect() {
        return new NoOpAspect();
    }

    /** An infrastructure advisor, static, as the starter's own is: the same proxy creator applies it. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor noOpInterceptorAdvisor() {
        return NoOpInterceptor.advisor();
    }

    @Bean
    NoOpTransactionManager transactionManager() {
        return new NoOpTransactionManager();
    }

    @Bean
    Inventory inventory() {
        return new Inventory();
    }

    @Bean
    AspectInventory aspectInventory() {
        return new AspectInventory();
    }

    @Bean
    InterceptedInventory interceptedInventory() {
        return new InterceptedInventory();
    }

    @Bean
    AsyncInventory asyncInventory() {
        return new AsyncInventory();
    }

    @Bean
    AspectAsyncInventory aspectAsyncInventory() {
        return new AspectAsyncInventory();
    }

    @Bean
    TransactionalInventory transactionalInventory() {
        return new TransactionalInventory();
    }

    @Bean
    Orders.Reversible reversibleOrders(Inventory inventory) {
        return new Orders.Reversible(inventory);
    }

    @Bean
    Orders.NoOpAspects noOpAspectOrders(AspectInventory aspectInventory) {
        return new Orders.NoOpAspects(aspectInventory);
    }

    @Bean
    Orders.NoOpInterceptors noOpInterceptorOrders(InterceptedInventory interceptedInventory) {
        return new Orders.NoOpInterceptors(interceptedInventory);
    }

    @Bean
    Orders.ReversibleAsync reversibleAsyncOrders(AsyncInventory asyncInventory) {
        return new Orders.ReversibleAsync(asyncInventory);
    }

    @Bean
    Orders.NoOpAspectsAsync noOpAspectAsyncOrders(AspectAsyncInventory aspectAsyncInventory) {
        return new Orders.NoOpAspectsAsync(aspectAsyncInventory);
    }

    @Bean
    ContextHops contextHops(SagaExecutor sagaExecutor) {
        return new ContextHops(sagaExecutor);
    }

    @Bean
    Orders.Transactional transactionalOrders(TransactionalInventory transactionalInventory) {
        return new Orders.Transactional(transactionalInventory);
    }
}
