package dev.reversible.demo.web;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * What is wrong with a request body that could not be read, in the terms of the JSON the client sent: the field
 * by its path in the body and the problem in plain words.
 *
 * <pre>{@code
 * {"quantity":"two"}            quantity must be a whole number                               (field quantity)
 * {"customer":"alice","sku":    The body breaks off before the value of sku                   (field sku)
 * []                            The body must be a JSON object with the fields customer, sku, quantity and country, not an array
 * }</pre>
 *
 * Jackson's own messages never reach the client: they name Java types ({@code dev.reversible.demo.web.OrderRequest},
 * {@code java.lang.Integer}), parser tokens and features, and a location reading {@code Source: REDACTED}.
 *
 * @param detail the problem, for the problem's {@code detail}
 * @param field the path of the offending field, or {@code null} when no field is to blame
 */
record UnreadableBody(String detail, String field) {

    private static final String MISSING = "Required request body is missing";

    /**
     * @param unreadable what Spring MVC threw
     * @param body the body as sent ({@link JsonBodyKeeper}), or {@code null} when none was read
     * @param json the mapper that read it
     * @return the problem with the body
     */
    static UnreadableBody of(HttpMessageNotReadableException unreadable, byte[] body, JsonMapper json) {
        JacksonException jackson = jacksonCause(unreadable);
        if (jackson == null) {
            // No JSON was read: Spring found no body, or could not read the bytes at all.
            return new UnreadableBody(unreadable.getMessage() != null && unreadable.getMessage().startsWith(MISSING) ? MISSING
                    : "The request body could not be read", null);
        }
        String field = JsonWords.path(jackson.getPath());
        if (jackson instanceof InputCoercionException outOfRange && field != null) {
            return new UnreadableBody(field + " must be " + JsonWords.expected(outOfRange.getTargetType()) + " " + range(outOfRange.getTargetType()),
                    field);
        }
        if (jackson instanceof StreamReadException malformed) {
            MalformedJson described = MalformedJson.of(malformed, field, body, json);
            return new UnreadableBody(described.detail(), described.field());
        }
        if (jackson instanceof MismatchedInputException mismatch) {
            return mismatched(mismatch, field);
        }
        // Any other failure to bind (a constructor that refuses its arguments, say): its message is Java's, not the client's.
        return new UnreadableBody(field == null ? "The body is not a valid request" : field + " is not valid", field);
    }

    private static UnreadableBody mismatched(MismatchedInputException mismatch, String field) {
        if (field != null) {
            return new UnreadableBody(field + " must be " + JsonWords.expected(mismatch.getTargetType()), field);
        }
        if (mismatch.getCurrentToken() == null) {
            // Nothing but white space: there was no JSON to read.
            return new UnreadableBody(MISSING, null);
        }
        return new UnreadableBody("The body must be " + JsonWords.expected(mismatch.getTargetType()) + ", not "
                + JsonWords.given(mismatch.getCurrentToken()), null);
    }

    /** @return "from -2147483648 to 2147483647" for a whole-number type, else empty */
    private static String range(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return "from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return "from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == short.class || type == Short.class) {
            return "from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
        }
        return "in range";
    }

    private static JacksonException jacksonCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JacksonException jackson) {
                return jackson;
            }
        }
        return null;
    }
}
