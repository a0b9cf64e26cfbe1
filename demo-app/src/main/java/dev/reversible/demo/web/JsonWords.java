package dev.reversible.demo.web;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;

/**
 * JSON as the client wrote it, in plain words: a field by its path in the body ({@code quantity},
 * {@code items[2].sku}), a value by its JSON kind ({@code a whole number}, {@code an array}). Never a Java type's
 * name: the client sent JSON and knows nothing of the classes it is read into.
 */
final class JsonWords {

    private JsonWords() {
    }

    /** @return the path Jackson's references spell out, or {@code null} for the body itself */
    static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            append(path, reference.getPropertyName(), reference.getIndex());
        }
        return path.isEmpty() ? null : path.toString();
    }

    /**
     * @return the path of the parser's position: the property it last named in each enclosing object, the element
     *         it is at in each enclosing array; {@code null} at the top level
     */
    static String path(TokenStreamContext context) {
        StringBuilder path = new StringBuilder();
        appendPath(path, context);
        return path.isEmpty() ? null : path.toString();
    }

    private static void appendPath(StringBuilder path, TokenStreamContext context) {
        if (context == null || context.inRoot()) {
            return;
        }
        appendPath(path, context.getParent());
        append(path, context.inObject() ? context.currentName() : null, context.inArray() ? context.getCurrentIndex() : -1);
    }

    private static void append(StringBuilder path, String name, int index) {
        if (name != null) {
            path.append(path.isEmpty() ? "" : ".").append(name);
        } else if (index >= 0) {
            path.append('[').append(index).append(']');
        }
    }

    /** @return what a value read into {@code type} must be, in JSON's terms: "a whole number", "a string", ... */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == int.class || type == long.class || type == short.class || type == byte.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "a JSON object" + fields(type);
        }
        // A date, a URI, ...: its Java type says nothing to a client, and guessing its JSON form could mislead.
        return "a value of another kind";
    }

    /**
     * @return " with the fields a, b and c" for a record, empty for anything else; a record's components are its JSON
     *         fields as long as none is renamed ({@code @JsonProperty}), as none of the demo's are
     */
    private static String fields(Class<?> type) {
        if (!type.isRecord() || type.getRecordComponents().length == 0) {
            return "";
        }
        List<String> names = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        String last = names.get(names.size() - 1);
        return names.size() == 1 ? " with the field " + last
                : " with the fields " + String.join(", ", names.subList(0, names.size() - 1)) + " and " + last;
    }

    /** @return the JSON kind of the value a token starts: "an array", "a string", ... */
    static String given(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "a JSON object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "null";
            default -> "a value of another kind";
        };
    }
}
