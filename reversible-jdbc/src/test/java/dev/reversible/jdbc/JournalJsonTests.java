package dev.reversible.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class JournalJsonTests {

    record Item(String sku, int quantity) {
    }

    /** The shape an argument class had when a saga was journaled... */
    record OldAddress(String street) {
    }

    /** ...and the shape it has after a deployment: it gained a field. */
    record NewAddress(String street, String city) {
    }

    /** ...or it gained a primitive field. */
    record WarehouseAddress(String street, int warehouse, boolean express) {
    }

    /** A class that must never be instantiated by reading a payload that names it. */
    static final class Gadget {

        static {
            Touched.FLAG.set(true);
        }

        Gadget() {
            Touched.FLAG.set(true);
        }

        public void setCommand(String command) {
            Touched.FLAG.set(true);
        }
    }

    /** Apart from {@link Gadget}, so that reading the flag does not initialize the gadget. */
    static final class Touched {

        static final AtomicBoolean FLAG = new AtomicBoolean();
    }

    /** A handler's signature, for its declared generic parameter types. */
    @SuppressWarnings("unused")
    static void handler(List<Item> items, Map<String, Item> byName, Item single, int count) {
    }

    private final JournalJson json = new JournalJson();

    static Type listOf(Class<?> element) {
        return new ParameterizedType() {
            public Type[] getActualTypeArguments() {
                return new Type[] {element};
            }

            public Type getRawType() {
                return List.class;
            }

            public Type getOwnerType() {
                return null;
            }
        };
    }

    private static Type[] handlerTypes() throws NoSuchMethodException {
        Method handler = JournalJsonTests.class.getDeclaredMethod("handler", List.class, Map.class, Item.class, int.class);
        return handler.getGenericParameterTypes();
    }

    @Test
    void argumentsReadBackIntoTheDeclaredGenericTypes() throws Exception {
        String written = json.writeArguments(List.of(List.of(new Item("a", 1), new Item("b", 2)),
                Map.of("x", new Item("c", 3)), new Item("d", 4), 5));
        Object[] read = json.readArguments(written, handlerTypes());
        assertThat(read[0]).isEqualTo(List.of(new Item("a", 1), new Item("b", 2)));
        assertThat(((List<?>) read[0]).get(0)).isInstanceOf(Item.class);
        assertThat(read[1]).isEqualTo(Map.of("x", new Item("c", 3)));
        assertThat(read[2]).isEqualTo(new Item("d", 4));
        assertThat(read[3]).isEqualTo(5);
    }

    @Test
    void nullArgumentsAndResultsStayNull() {
        assertThat(json.readArguments(json.writeArguments(java.util.Arrays.asList(null, "x")), Item.class, String.class))
                .containsExactly(null, "x");
        assertThat(json.writeResult(null)).isNull();
        assertThat(json.readResult(null, Item.class)).isNull();
    }

    @Test
    void aResultReadsBackIntoAGenericType() {
        String written = json.writeResult(List.of(new Item("a", 1)));
        assertThat(json.readResult(written, listOf(Item.class))).isEqualTo(List.of(new Item("a", 1)));
    }

    @Test
    void anArgumentClassThatGainedAFieldStillReads() {
        String written = json.writeArguments(List.of(new OldAddress("Main St 1")));
        assertThat(json.readArguments(written, NewAddress.class)).containsExactly(new NewAddress("Main St 1", null));
    }

    @Test
    void anArgumentClassThatGainedAPrimitiveFieldReadsItsDefault() {
        String written = json.writeArguments(List.of(new OldAddress("Main St 1")));
        assertThat(json.readArguments(written, WarehouseAddress.class)).containsExactly(new WarehouseAddress("Main St 1", 0, false));
        assertThat(json.readResult("{\"street\":\"Main St 1\"}", WarehouseAddress.class)).isEqualTo(new WarehouseAddress("Main St 1", 0, false));
    }

    @Test
    void anArgumentClassThatLostAFieldStillReads() {
        String written = json.writeArguments(List.of(new NewAddress("Main St 1", "Springfield")));
        assertThat(json.readArguments(written, OldAddress.class)).containsExactly(new OldAddress("Main St 1"));
    }

    @Test
    void aPayloadNamingAClassNeverInstantiatesIt() {
        String gadget = JournalJsonTests.class.getName() + "$Gadget";
        String payload = "[{\"@class\":\"" + gadget + "\",\"sku\":\"a\",\"quantity\":1},"
                + "{\"@class\":\"" + gadget + "\",\"command\":\"rm -rf /\"},"
                + "[\"" + gadget + "\",{\"command\":\"rm -rf /\"}]]";
        Object[] read = json.readArguments(payload, Item.class, Object.class, Object.class);
        assertThat(read[0]).isEqualTo(new Item("a", 1));
        assertThat(read[1]).isInstanceOf(Map.class);
        assertThat(read[2]).isInstanceOf(List.class);
        assertThat(Touched.FLAG).isFalse();
    }

    @Test
    void argumentsThatNoLongerMatchTheParametersFailWithAReason() {
        assertThatThrownBy(() -> json.readArguments("[1, 2]", Item.class)).isInstanceOf(JournalPayloadException.class)
                .hasMessageContaining("1 declared parameter");
        assertThatThrownBy(() -> json.readArguments("[\"not an item\"]", Item.class))
                .isInstanceOf(JournalPayloadException.class).hasMessageContaining(Item.class.getTypeName());
    }

    @Test
    void anArgumentThatCannotBeWrittenFailsWithAReason() {
        assertThatThrownBy(() -> json.writeArguments(List.of(new Object()))).isInstanceOf(JournalPayloadException.class);
    }

    /** An interface with no type information: nothing tells Jackson which class to make. */
    interface PaymentMethod {
        String token();
    }

    /** A plain bean with setters. */
    static final class Customer {

        private String name;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    @SuppressWarnings("unused")
    static void typed(List<PaymentMethod> methods, Map<String, Runnable> tasks, Optional<InputStream> stream) {
    }

    @Test
    void ordinaryParameterTypesReadBack() throws Exception {
        for (Type type : List.<Type>of(String.class, int.class, long.class, boolean.class, UUID.class, BigDecimal.class, Instant.class,
                LocalDate.class, Object.class, Item.class, Customer.class, Thread.State.class, Set.class, int[].class, Item[].class)) {
            assertThat(json.unreadable(type)).as(type.getTypeName()).isEmpty();
        }
        for (Type type : handlerTypes()) {
            assertThat(json.unreadable(type)).as(type.getTypeName()).isEmpty();
        }
    }

    @Test
    void abstractTypesWithoutTypeInformationDoNotReadBackWithJacksonsReason() throws Exception {
        assertThat(json.unreadable(PaymentMethod.class)).hasValueSatisfying(reason -> assertThat(reason).contains("abstract types"));
        assertThat(json.unreadable(Runnable.class)).isPresent();
        assertThat(json.unreadable(InputStream.class)).isPresent();
        for (Type type : JournalJsonTests.class.getDeclaredMethod("typed", List.class, Map.class, Optional.class).getGenericParameterTypes()) {
            assertThat(json.unreadable(type)).as(type.getTypeName()).isPresent();
        }
    }

    @Test
    void decimalsReadBackWithTheirScaleAndEveryDigit() {
        // chargeAccount's amount, as recovery hands it to refund: a tree would have read it through a double.
        String written = json.writeArguments(List.of(new BigDecimal("25.00"), new BigDecimal("12345678901234567.89")));

        assertThat(json.readArguments(written, BigDecimal.class, BigDecimal.class))
                .containsExactly(new BigDecimal("25.00"), new BigDecimal("12345678901234567.89"));
        assertThat(json.readResult(json.writeResult(new BigDecimal("0.10")), BigDecimal.class)).isEqualTo(new BigDecimal("0.10"));
    }

    @Test
    void argumentsThatAreNotAnArrayOfTheDeclaredLengthAreRefused() {
        assertThatThrownBy(() -> json.readArguments("[1, 2, 3]", int.class, int.class))
                .isInstanceOf(JournalPayloadException.class).hasMessageContaining("do not match the 2 declared parameter(s)");
        assertThatThrownBy(() -> json.readArguments("[1]", int.class, int.class))
                .isInstanceOf(JournalPayloadException.class).hasMessageContaining("do not match the 2 declared parameter(s)");
        assertThatThrownBy(() -> json.readArguments("{\"a\": 1}", int.class))
                .isInstanceOf(JournalPayloadException.class).hasMessageContaining("do not match the 1 declared parameter(s)");
        assertThatThrownBy(() -> json.readArguments("[1,", int.class, int.class))
                .isInstanceOf(JournalPayloadException.class).hasMessageContaining("not JSON");
        assertThat(json.readArguments("[null, 7]", String.class, int.class)).containsExactly(null, 7);
    }
}
