package dev.reversible.demo.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.AbstractJacksonHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Keeps a JSON request body's bytes for the request's lifetime, so that a body that is not JSON can be told about
 * in the client's terms ({@link MalformedJson} reads it again to find where it goes wrong). Jackson's own parser
 * cannot say: it is closed by the time its error reaches a handler, and closing it forgets the token it stopped at.
 * The bodies here are a few hundred bytes, which Jackson reads whole anyway.
 */
@ControllerAdvice
class JsonBodyKeeper extends RequestBodyAdviceAdapter {

    private static final String ATTRIBUTE = JsonBodyKeeper.class.getName() + ".body";

    /**
     * @param request the request being answered
     * @return the JSON body it sent, or {@code null} when none was read
     */
    static byte[] body(WebRequest request) {
        return (byte[]) request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJacksonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        byte[] body = message.getBody().readAllBytes();
        RequestContextHolder.currentRequestAttributes().setAttribute(ATTRIBUTE, body, RequestAttributes.SCOPE_REQUEST);
        return new HttpInputMessage() {

            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return message.getHeaders();
            }
        };
    }
}
