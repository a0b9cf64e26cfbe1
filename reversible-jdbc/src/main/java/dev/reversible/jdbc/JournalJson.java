package dev.reversible.jdbc;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Arguments and results as JSON, read back into the handler's declared parameter types (generic types
 * included, e.g. {@code List<Item>}).
 *
 * <p>Safe by construction: default typing is switched off, so a payload carrying {@code "@class"} or other
 * type ids never makes Jackson load or instantiate the class it names — the declared type decides.
 * Unknown properties are ignored, so an argument class that gained a field still reads a journal written
 * before. A type the application itself annotates with {@code @JsonTypeInfo} keeps its own (opted-in) typing.
 *
 * <pre>{@code
 * JournalJson json = new JournalJson(bootJsonMapper);
 * Object[] args = json.readArguments(step.argumentsJson(), handler.getGenericParameterTypes());
 * }</pre>
 */
public final class JournalJson {

    private final JsonMapper mapper;

    /** Uses a plain {@link JsonMapper} (for tests and applications without Boot's). */
    public JournalJson() {
        this(JsonMapper.builder().build());
    }

    /**
     * @param mapper the application's mapper (its modules and naming apply); copied with default typing off,
     *     unknown properties ignored and missing primitives read as their defaults, the original is not changed
     */
    public JournalJson(JsonMapper mapper) {
        Objects.requireNonNull(mapper, "mapper");
        this.mapper = mapper.rebuild()
                .deactivateDefaultTyping()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // a primitive field added since the entry was written reads as its default (0, false), as a
                // reference field reads as null: a release that adds `int warehouse` must not strand old sagas
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // an object with no properties would be written as {} and read back as a different object
                .enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /**
     * @param arguments an action's arguments
     * @return them as a JSON array
     * @throws JournalPayloadException when one cannot be written
     */
    public String writeArguments(List<?> arguments) {
        try {
            return mapper.writeValueAsString(arguments);
        }
        catch (JacksonException ex) {
            throw new JournalPayloadException("Cannot write the arguments as JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * @param result an action's result, or null
     * @return it as JSON, or null for null
     * @throws JournalPayloadException when it cannot be written
     */
    public String writeResult(Object result) {
        if (result == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(result);
        }
        catch (JacksonException ex) {
            throw new JournalPayloadException("Cannot write the result of type " + result.getClass().getName()
                    + " as JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * @param json a JSON array written by {@link #writeArguments}
     * @param parameterTypes the declared types, one per element
     * @return the arguments, each read into its declared type
     * @throws JournalPayloadException when the count differs or an element no longer reads into its type
     */
    public Object[] readArguments(String json, Type... parameterTypes) {
        // Streamed, element by element, straight into each declared type: going through a tree first would turn
        // a decimal into a double (25.00 → 25.0, and the digits a double cannot hold lost).
        if (elements(json) != parameterTypes.length) {
            throw new JournalPayloadException("Stored arguments " + abbreviate(json) + " do not match the "
                    + parameterTypes.length + " declared parameter(s)", null);
        }
        Object[] arguments = new Object[parameterTypes.length];
        try (JsonParser parser = mapper.createParser(json)) {
            parser.nextToken();
            for (int i = 0; i < parameterTypes.length; i++) {
                parser.nextToken();
                arguments[i] = read(parser, parameterTypes[i], "argument " + i);
            }
        }
        catch (JacksonException ex) {
            throw new JournalPayloadException("Stored arguments are not JSON: " + ex.getOriginalMessage(), ex);
        }
        return arguments;
    }

    /** How many elements the stored array has (-1 when it is not an array): a mismatch is told before any is read. */
    private int elements(String json) {
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return -1;
            }
            int count = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                parser.skipChildren();
                count++;
            }
            return parser.nextToken() == null ? count : -1;
        }
        catch (JacksonException ex) {
            throw new JournalPayloadException("Stored arguments are not JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * @param json a result written by {@link #writeResult}, or null
     * @param type the declared type (the handler's result parameter)
     * @return the result in that type, or null
     * @throws JournalPayloadException when it no longer reads into that type
     */
    public Object readResult(String json, Type type) {
        if (json == null) {
            return null;
        }
        try (JsonParser parser = mapper.createParser(json)) {
            parser.nextToken();
            return read(parser, type, "the result");
        }
        catch (JacksonException ex) {
            throw new JournalPayloadException("Stored result is not JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * Whether a declared type can be read back from the journal — checked at start-up for every parameter of a
     * journaled action, before any value exists. The rule: the mapper must be able to make a value of that type
     * from JSON. It can for the value types it knows (strings, numbers, booleans, enums, {@code UUID},
     * {@code BigDecimal}, {@code java.time}), for a class with a constructor it can use (a default one, a record's,
     * a {@code @JsonCreator}, one whose parameter names are compiled in), for {@code Object} (read back as maps,
     * lists and scalars), for an abstract type annotated {@code @JsonTypeInfo} or mapped by a module, and for
     * collections, maps, arrays and {@code Optional}s of such. It cannot for an interface or abstract class
     * without type information (a {@code Runnable}, an {@code InputStream}, a {@code Connection}) — Jackson
     * reports an invalid definition, not a mismatched input, when asked to read one. Whether a value can be
     * written depends on its run-time class, so that is checked when a step starts.
     * @param type the declared (generic) type
     * @return why it cannot be read back, or empty when it can
     */
    public Optional<String> unreadable(Type type) {
        return unreadable(mapper.constructType(type));
    }

    private Optional<String> unreadable(JavaType type) {
        if (type.isReferenceType() || type.isContainerType()) {
            if (!type.isReferenceType()) {
                Optional<String> container = probe(type, type.isMapLikeType() ? "{}" : "[]");
                if (container.isPresent()) {
                    return container;
                }
            }
            return type.getContentType() == null ? Optional.empty() : unreadable(type.getContentType());
        }
        return probe(type, "{}");
    }

    /** Reads an empty value into the type: a definition problem means no value of it can ever be read. */
    private Optional<String> probe(JavaType type, String json) {
        try {
            mapper.readerFor(type).readValue(json);
        }
        catch (InvalidDefinitionException ex) {
            return Optional.of(ex.getOriginalMessage());
        }
        catch (JacksonException ex) {
            // Another shape of input (a string, a number, an object with required fields): the type reads.
        }
        return Optional.empty();
    }

    /** Reads the value at the parser's current token into the declared type. */
    private Object read(JsonParser parser, Type type, String what) {
        if (parser.currentToken() == JsonToken.VALUE_NULL && !(type instanceof Class<?> c && c.isPrimitive())) {
            return null;
        }
        try {
            // The array goes on after this element: its next tokens are not "trailing".
            return mapper.readerFor(mapper.constructType(type)).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(parser);
        }
        catch (JacksonException ex) {
            throw new JournalPayloadException("Cannot read " + what + " into " + type.getTypeName() + ": "
                    + ex.getOriginalMessage(), ex);
        }
    }

    private static String abbreviate(String json) {
        return json.length() <= 80 ? json : json.substring(0, 77) + "...";
    }
}
