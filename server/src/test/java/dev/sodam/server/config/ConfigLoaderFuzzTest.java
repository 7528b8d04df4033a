package dev.sodam.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of configuration loading: any sodam.yaml text and any values of the
 * documented environment variables give a configuration or a {@link ConfigException} naming what is
 * wrong, never another exception (a start-up crash with a stack trace instead of a sentence).
 */
class ConfigLoaderFuzzTest {
    private static final List<String> VARIABLES = ConfigLoader.documentedKeys().values().stream()
            .map(v -> v.substring(0, v.indexOf(' '))).toList();
    private static final Path FILE = temporaryFile();

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("sodam-fuzz-", ".yaml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyYamlAndEnvironmentIsAConfigOrAClearError(FuzzedDataProvider data) throws IOException {
        Map<String, String> env = new HashMap<>();
        int overrides = data.consumeInt(0, 4);
        for (int i = 0; i < overrides; i++) {
            env.put(data.pickValue(VARIABLES), data.consumeString(80));
        }
        Files.writeString(FILE, data.consumeRemainingAsString());
        try {
            assertThat(ConfigLoader.load(FILE, env)).isNotNull();
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
