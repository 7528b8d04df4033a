package dev.sodam.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The shipped config/logback.xml: as text it prints a request's id as {@code req=…}; with
 * {@code SODAM_LOG_FORMAT=JSON} every line is a JSON object whose {@code mdc.requestId} names the request.
 */
class LogFormatTest {

    /** The lines config/logback.xml writes for one line with a request id and one without. */
    static List<String> logged(String format) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            if (format != null) {
                context.putProperty("SODAM_LOG_FORMAT", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(TestServer.repoRoot().resolve("config/logback.xml").toFile());
            // Any warning or error makes logback print its status report on every start.
            assertThat(new StatusUtil(context).getHighestLevel(0)).as("logback status of config/logback.xml: %s",
                    context.getStatusManager().getCopyOfStatusList()).isLessThan(Status.WARN);
            OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>)
                    context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();
            appender.setOutputStream(captured);
            context.getMDCAdapter().put(RequestIds.MDC_KEY, "trace-7");
            context.getLogger("dev.sodam.server.Test").info("answered {}", 200);
            context.getMDCAdapter().remove(RequestIds.MDC_KEY);
            context.getLogger("dev.sodam.server.Test").info("no request");
        } finally {
            context.stop();
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void textNamesTheRequestAndJsonCarriesItInTheMdc() throws Exception {
        List<String> text = logged(null);
        assertThat(text).hasSize(2);
        assertThat(text.get(0)).contains("req=trace-7 - answered 200");
        assertThat(text.get(1)).doesNotContain("req=").contains("- no request");

        List<String> json = logged("JSON");
        assertThat(json).hasSize(2);
        JsonNode first = Json.MAPPER.readTree(json.get(0));
        assertThat(first.at("/mdc/requestId").asText()).isEqualTo("trace-7");
        assertThat(first.get("formattedMessage").asText()).isEqualTo("answered 200");
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(Json.MAPPER.readTree(json.get(1)).at("/mdc/requestId").isMissingNode()).isTrue();
    }
}
