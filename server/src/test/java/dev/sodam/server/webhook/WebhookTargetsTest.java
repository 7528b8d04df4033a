package dev.sodam.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which webhook URLs may be called (IP literals only: no name lookups leave the machine). */
class WebhookTargetsTest {
    private final WebhookTargets strict = new WebhookTargets(false);
    private final WebhookTargets open = new WebhookTargets(true);

    @Test
    void loopbackPrivateAndOddAddressesAreRefusedUnlessAllowed() {
        for (String url : new String[] {"http://127.0.0.1:8080/hook", "http://10.1.2.3/x", "http://172.16.0.9/x",
                "http://192.168.1.1/x", "http://169.254.169.254/latest", "http://100.64.0.1/x", "http://0.0.0.0/x",
                "http://[::1]/x", "http://[fd00::1]/x", "http://[fe80::1]/x"}) {
            assertThat(strict.refusal(url)).as(url).isNotNull();
            assertThat(open.refusal(url)).as(url).isNull();
        }
    }

    @Test
    void publicHttpAddressesAreAllowedAndOtherSchemesNever() {
        assertThat(strict.refusal("https://93.184.216.34/hook")).isNull();
        assertThat(strict.refusal("http://[2606:2800:220:1::1]/hook")).isNull();
        assertThat(open.refusal("ftp://93.184.216.34/x")).isNotNull();
        assertThat(open.refusal("file:///etc/passwd")).isNotNull();
        assertThat(open.refusal("http://user:pw@93.184.216.34/")).isNotNull();
        assertThat(open.refusal("not a url")).isNotNull();
    }
}
