package dev.reversible.spring.jdbc;

import java.util.concurrent.CountDownLatch;

import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleJdbcAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Release 1 of an application, in a JVM of its own ({@link ReleaseUpgradeTests}): it starts a saga on the journal's
 * database, announces {@code AT SHIP} once the saga's last step runs, and blocks there until it is killed. Arguments:
 * the database's URL, user and password, and which saga: {@code shop} (reserve, charge, ship), {@code legacy} (a
 * step on a bean release 2 no longer has, then ship) or {@code parcels} (a step taking a record release 2 changed,
 * then ship).
 */
public final class ReleaseOneInstance {

    private ReleaseOneInstance() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> saga = switch (args[3]) {
            case "shop" -> JournalTestApp.Shop.class;
            case "legacy" -> SagaRecoveryTests.Legacy.Config.class;
            case "parcels" -> ReleaseUpgradeTests.ParcelsV1.Config.class;
            default -> throw new IllegalArgumentException(args[3]);
        };
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class, JournalTestApp.Shop.class, saga)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.datasource.url=" + args[0], "spring.datasource.username=" + args[1],
                        "spring.datasource.password=" + args[2], "spring.datasource.generate-unique-name=false",
                        "spring.main.banner-mode=off", "reversible.jdbc.initialize-schema=always",
                        "reversible.jdbc.heartbeat-interval=200ms", "reversible.jdbc.instance-timeout=1s",
                        "reversible.jdbc.instance-name=release-1")
                .run();
        JournalTestApp.reset();
        JournalTestApp.Shipping.hold = new CountDownLatch(1);
        Thread running = new Thread(() -> {
            try {
                switch (args[3]) {
                    case "shop" -> context.getBean(JournalTestApp.Orders.class).place("sku-9");
                    case "legacy" -> context.getBean(SagaRecoveryTests.LegacyOrders.class).place("sku-10");
                    default -> context.getBean(ReleaseUpgradeTests.ParcelOrders.class).place("sku-12");
                }
            } catch (Exception e) {
                System.out.println("saga failed: " + e);
            }
        }, "release-1-saga");
        running.start();
        if (!JournalTestApp.Shipping.holding.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            System.out.println("ship never ran");
            Runtime.getRuntime().halt(2);
        }
        System.out.println("AT SHIP");
        System.out.flush();
        new CountDownLatch(1).await();   // until killed
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, ReversibleAutoConfiguration.class, ReversibleJdbcAutoConfiguration.class })
    static class App {
    }
}
