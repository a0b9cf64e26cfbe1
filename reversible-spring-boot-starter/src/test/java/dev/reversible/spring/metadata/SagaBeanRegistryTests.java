package dev.reversible.spring.metadata;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link SagaBeanRegistry}: beans are named by identity, never by equality. */
class SagaBeanRegistryTests {

    private final SagaBeanRegistry registry = new SagaBeanRegistry();

    @Test
    void equalBeansKeepTheirOwnNames() {
        String east = new String("warehouse");
        String west = new String("warehouse");

        registry.register(east, "eastWarehouse");
        registry.register(west, "westWarehouse");

        assertThat(registry.beanName(east)).isEqualTo("eastWarehouse");
        assertThat(registry.beanName(west)).isEqualTo("westWarehouse");
    }

    @Test
    void unregisteredBeanHasNoName() {
        assertThat(registry.beanName(new Object())).isNull();
    }
}
