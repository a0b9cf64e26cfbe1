package dev.reversible.benchmarks.spring;

import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * The application the Spring benchmarks call into: the starter as its auto-configuration builds it,
 * AspectJ auto-proxying and transaction management with class-based proxies (Spring Boot's defaults),
 * and one bean per variant. A plain context rather than {@code SpringApplication}: nothing depends on
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
    Orders.Transactional transactionalOrders(TransactionalInventory transactionalInventory) {
        return new Orders.Transactional(transactionalInventory);
    }
}
