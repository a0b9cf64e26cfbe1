package dev.reversible.spring.jdbc;

import java.util.concurrent.CountDownLatch;

import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleJdbcAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The JVM that {@link CrashMatrixTests} kills: the real starter and journal on the database named by its
 * arguments ({@code url user password point [programmatic|cancelled|in-transaction|mixed]}), running {@link CrashShop}'s
 * saga once — or, with {@code programmatic}, a programmatic saga of the executor: a lambda step named {@code audit},
 * then the shop's annotated reserve, charge and ship; with {@code in-transaction} or {@code mixed},
 * {@link InTransactionCrashShop}'s saga. At the {@link CrashPoint} named by the fourth argument it prints
 * {@code AT <point>} and blocks until it is killed; a saga that ends without reaching it prints {@code NOT REACHED}.
 */
public final class CrashingInstance {

    private CrashingInstance() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 4 ? args[4] : "";
        Class<?> app = mode.equals("in-transaction") ? InTransactionApp.class : mode.equals("mixed") ? MixedApp.class : App.class;
        ConfigurableApplicationContext context = new SpringApplicationBuilder(app)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.datasource.url=" + args[0], "spring.datasource.username=" + args[1],
                        "spring.datasource.password=" + args[2], "spring.datasource.generate-unique-name=false",
                        "spring.main.banner-mode=off", "reversible.jdbc.initialize-schema=always",
                        "reversible.jdbc.heartbeat-interval=200ms", "reversible.jdbc.instance-timeout=1s",
                        "reversible.jdbc.instance-name=child")
                .run();
        CrashPoint point = CrashPoint.valueOf(args[3]);
        CrashShop.reset();
        CrashShop.stopAt = point;
        CrashShop.atPoint = reached -> {
            System.out.println("AT " + reached);
            System.out.flush();
            try {
                new CountDownLatch(1).await();   // until killed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        if (point.shipFails()) {
            CrashShop.shipFailure = new IllegalStateException("no courier");
        }
        if (args.length > 4 && args[4].equals("cancelled")) {
            // An operator cancels the saga while it runs here; the JVM dies before the saga reaches its next boundary.
            SagaOperations operations = context.getBean(SagaOperations.class);
            CrashShop.atPoint = reached -> {
                String id = operations.list(dev.reversible.jdbc.SagaStatus.RUNNING, 1).get(0).id();
                System.out.println("cancel: " + operations.cancel(id).outcome());
                System.out.println("AT " + reached);
                System.out.flush();
                try {
                    new CountDownLatch(1).await();   // until killed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        }
        try {
            if (mode.equals("programmatic")) {
                placeProgrammatically(context, "sku-7");
            } else if (app != App.class) {
                context.getBean(InTransactionCrashShop.Orders.class).place("sku-7");
            } else {
                context.getBean(CrashShop.Orders.class).place("sku-7");
            }
        } catch (Exception e) {
            System.out.println("saga failed: " + e);
        }
        System.out.println("NOT REACHED");
        System.out.flush();
        Runtime.getRuntime().halt(3);
    }

    /** The shop's steps in a programmatic saga, after a lambda step that recovery cannot find again. */
    private static String placeProgrammatically(ConfigurableApplicationContext context, String sku) throws Exception {
        SagaExecutor executor = context.getBean(SagaExecutor.class);
        CrashShop.Stock stock = context.getBean(CrashShop.Stock.class);
        CrashShop.Payments payments = context.getBean(CrashShop.Payments.class);
        CrashShop.Shipping shipping = context.getBean(CrashShop.Shipping.class);
        return executor.execute(Reversible.gen(scope -> {
            scope.run(Reversible.action(audit -> "audited " + sku, audit -> { }).named("audit"));
            stock.reserve(sku, 2);
            payments.charge("alice", 3000);
            return shipping.ship(sku);
        }).named("programmaticOrder"));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, ReversibleAutoConfiguration.class, ReversibleJdbcAutoConfiguration.class })
    @Import(CrashShop.Beans.class)
    static class App {
    }

    /** {@link InTransactionCrashShop}: every step recorded in its own transaction. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TransactionAutoConfiguration.class, ReversibleAutoConfiguration.class, ReversibleJdbcAutoConfiguration.class })
    @Import(InTransactionCrashShop.Beans.class)
    static class InTransactionApp {
    }

    /** {@link InTransactionCrashShop.Mixed}: charge recorded write-ahead, the others in their transactions. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TransactionAutoConfiguration.class, ReversibleAutoConfiguration.class, ReversibleJdbcAutoConfiguration.class })
    @Import(InTransactionCrashShop.Mixed.class)
    static class MixedApp {
    }
}
