package dev.reversible.demo.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A body that is not JSON at all, told as where it goes wrong and what is wrong there:
 * {@code The body breaks off before the value of sku}, {@code The body is not valid JSON in the value of country: DE
 * is not a JSON value (text goes in double quotes)}.
 *
 * <p>Where comes from reading the body again, token by token, up to the same mistake ({@link Place#find}), never from
 * Jackson's message: its messages speak of tokens, markers and features, and its location's text may read
 * {@code Source: REDACTED}. What is wrong is Jackson's message matched against the few mistakes people make by hand;
 * anything else is just "not valid JSON" at the place named.
 *
 * @param detail the problem, for the problem's {@code detail}
 * @param field the field whose value is malformed, or {@code null} when the mistake is between fields
 */
record MalformedJson(String detail, String field) {

    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("Unrecognized token '([^']*)'");

    private static final Pattern UNEXPECTED_CHARACTER = Pattern.compile("Unexpected character \\('(.)'");

    /** Jackson's message fragment, and the mistake it means in plain words. */
    private record Mistake(String fragment, String words) {
    }

    private static final List<Mistake> MISTAKES = List.of(
            new Mistake("double-quote to start property name", "a field name in double quotes was expected"),
            new Mistake("comma to separate", "a comma is missing"),
            new Mistake("colon to separate", "a colon is missing after the field name"),
            new Mistake("close marker", "a closing bracket does not match an opening one"),
            new Mistake("Illegal unquoted character", "a control character such as a line break must be escaped"),
            new Mistake("Invalid numeric value", "not a valid JSON number"),
            new Mistake("Non-standard token", "not a valid JSON number"),
            new Mistake("Invalid UTF-8", "not valid UTF-8 text"));

    /**
     * @param malformed what the parser threw
     * @param field the field whose value was being read when data binding knew it (a string's text is read only
     *        once its property is bound), else {@code null}
     * @param body the body as sent, or {@code null} when it was not kept
     * @param json the mapper that read it, to read it again the same way
     */
    static MalformedJson of(StreamReadException malformed, String field, byte[] body, JsonMapper json) {
        Place place = field != null ? new Place(Where.IN_VALUE, field) : body == null ? Place.NOWHERE : Place.find(body, json);
        String message = String.valueOf(malformed.getOriginalMessage());
        if (malformed instanceof UnexpectedEndOfInputException || message.startsWith("Unexpected end-of-input")) {
            return new MalformedJson(joined("The body breaks off", place.words(true)), place.blamed());
        }
        String mistake = mistake(message);
        return new MalformedJson(joined("The body is not valid JSON", place.words(false)) + (mistake == null ? "" : ": " + mistake),
                place.blamed());
    }

    private static String joined(String what, String where) {
        return where == null ? what : what + " " + where;
    }

    private static String mistake(String message) {
        Matcher token = UNRECOGNIZED_TOKEN.matcher(message);
        if (token.find()) {
            return token.group(1) + " is not a JSON value (text goes in double quotes)";
        }
        for (Mistake mistake : MISTAKES) {
            if (message.contains(mistake.fragment())) {
                return mistake.words();
            }
        }
        Matcher character = UNEXPECTED_CHARACTER.matcher(message);
        return character.find() ? "unexpected character " + character.group(1) : null;
    }

    /** Where in the body the parser stopped, relative to the fields around it. */
    private enum Where {
        /** Inside a value that had begun. */
        IN_VALUE,
        /** Right after a property's name, where its value should begin. */
        BEFORE_VALUE,
        /** After a property's value, between it and the next property. */
        AFTER_VALUE,
        /** At the start of an object or array, before its first entry. */
        AT_START,
        /**
         * After the body's first value: an object, since anything else fails to bind before the rest is read, and
         * a body holds one value.
         */
        AFTER_END,
        /** Nowhere to name: the body had not begun. */
        NOWHERE
    }

    /**
     * Where the parser stopped, and the path there. Only a value can be to blame: after a property's name the
     * parser was reading its value; between two properties, no field is wrong.
     *
     * @param where where, relative to the fields
     * @param path the path of the value, or of the last property before the place; {@code null} at the top level
     */
    private record Place(Where where, String path) {

        static final Place NOWHERE = new Place(Where.NOWHERE, null);

        /**
         * Reads the body again up to its mistake, watching the parser: the property it names in the call that fails,
         * the token it last returned, and whether it was decoding a string's text.
         */
        static Place find(byte[] body, JsonMapper json) {
            JsonParser parser = json.createParser(body);
            JsonToken last = null;
            TokenStreamContext before = null;
            String nameBefore = null;
            boolean decodingText = false;
            try {
                JsonToken token;
                do {
                    before = parser.streamReadContext();
                    nameBefore = before.currentName();
                    token = parser.nextToken();
                    if (token == JsonToken.VALUE_STRING) {
                        last = token;
                        // A string's text is decoded lazily: decode it now, so that a mistake in it is found in it.
                        decodingText = true;
                        parser.getString();
                        decodingText = false;
                    } else if (token != null) {
                        last = token;
                    }
                } while (token != null);
                // Read whole without a mistake: the mistake Jackson found is not one of the JSON's.
                return NOWHERE;
            } catch (JacksonException mistake) {
                TokenStreamContext context = parser.streamReadContext();
                String path = JsonWords.path(context);
                if (decodingText) {
                    return new Place(Where.IN_VALUE, path);
                }
                // The call that failed read a property's name, then found no valid value after it. The parser says so by
                // its token, unless the end of the input closed it (which forgets the token): then by the new name.
                boolean nameRead = parser.currentToken() == JsonToken.PROPERTY_NAME
                        || (context == before && context.currentName() != null && !context.currentName().equals(nameBefore));
                if (nameRead) {
                    return new Place(Where.BEFORE_VALUE, path);
                }
                if (context.inRoot()) {
                    return last == null ? NOWHERE : new Place(Where.AFTER_END, null);
                }
                if (last == JsonToken.START_OBJECT || last == JsonToken.START_ARRAY) {
                    return new Place(Where.AT_START, JsonWords.path(context.getParent()));
                }
                return new Place(Where.AFTER_VALUE, path);
            } finally {
                parser.close();
            }
        }

        /** @return the field whose value is wrong, or {@code null} when the mistake is between fields */
        String blamed() {
            return where == Where.IN_VALUE || where == Where.BEFORE_VALUE ? path : null;
        }

        /**
         * @param breaksOff whether the body ended there (before a value that never began) or held a mistake there (in it)
         * @return "in the value of sku", "after sku", ...; {@code null} when there is nowhere to name
         */
        String words(boolean breaksOff) {
            return switch (where) {
                case IN_VALUE -> "in the value of " + path;
                case BEFORE_VALUE -> (breaksOff ? "before" : "in") + " the value of " + path;
                case AFTER_VALUE -> "after " + path;
                case AT_START -> path == null ? "before the first field" : "at the start of " + path;
                case AFTER_END -> "after the object's closing }";
                case NOWHERE -> null;
            };
        }
    }
}
