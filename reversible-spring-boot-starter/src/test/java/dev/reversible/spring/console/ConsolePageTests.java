package dev.reversible.spring.console;

import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The page as {@link ConsolePage} renders it, without a server: the endpoint's path and access, the CSRF token
 * Spring Security leaves on the request, every value escaped, and the files below the page.
 */
class ConsolePageTests {

    private static MockMvc mvc(SagasEndpointAccess access) {
        return MockMvcBuilders.routerFunctions(new ConsolePage("/reversible/console", () -> access).routes()).build();
    }

    @Test
    void pageCarriesTheEndpointsPathAndAccess() throws Exception {
        String writable = mvc(new SagasEndpointAccess("/actuator/sagas", true)).perform(get("/reversible/console"))
                .andExpect(status().isOk()).andExpect(header().string("Cache-Control", "no-store"))
                .andReturn().getResponse().getContentAsString();
        assertThat(writable).contains("data-endpoint=\"/actuator/sagas\"", "data-access=\"unrestricted\"", "data-csrf-token=\"\"");

        String readOnly = mvc(new SagasEndpointAccess("/actuator/sagas", false)).perform(get("/reversible/console"))
                .andReturn().getResponse().getContentAsString();
        assertThat(readOnly).contains("data-access=\"read-only\"");

        String absent = mvc(SagasEndpointAccess.NOT_EXPOSED).perform(get("/reversible/console"))
                .andReturn().getResponse().getContentAsString();
        assertThat(absent).contains("data-endpoint=\"\"", "data-access=\"none\"");
    }

    @Test
    void springSecuritysCsrfTokenIsRenderedEscaped() throws Exception {
        String page = mvc(new SagasEndpointAccess("/actuator/sagas", true))
                .perform(get("/reversible/console").requestAttr("_csrf", new Token("X-CSRF-TOKEN", "a\"b<c>&d")))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("data-csrf-header=\"X-CSRF-TOKEN\"", "data-csrf-token=\"a&quot;b&lt;c&gt;&amp;d\"");
    }

    @Test
    void scriptAndStylesAreServedBelowThePageAndNothingElseIs() throws Exception {
        MockMvc mvc = mvc(new SagasEndpointAccess("/actuator/sagas", true));
        mvc.perform(get("/reversible/console/console.js")).andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/javascript;charset=UTF-8"));
        mvc.perform(get("/reversible/console/console.css")).andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/css;charset=UTF-8"));
        mvc.perform(get("/reversible/console/console.html")).andExpect(status().isNotFound());
        mvc.perform(get("/reversible/console/../console.js")).andExpect(status().isNotFound());
    }

    @Test
    void escapeCoversEveryCharacterThatEndsAnAttribute() {
        assertThat(ConsolePage.escape("<a href='x'>\"&\"</a>")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
    }

    /** What Spring Security's {@code CsrfToken} offers: read as bean properties. */
    public record Token(String headerName, String token) {

        public String getHeaderName() {
            return headerName;
        }

        public String getToken() {
            return token;
        }
    }
}
