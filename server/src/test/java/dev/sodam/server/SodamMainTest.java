package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.config.ConfigLoader;
import dev.sodam.server.config.SodamConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SodamMainTest {

    @Test
    void theCommandIsWhatIsLeftAfterTheConfigOption() {
        assertThat(SodamMain.command(new String[] {"--config", "x.yaml", "backup", "b.db"}))
                .containsExactly("backup", "b.db");
        assertThat(SodamMain.command(new String[] {"--config=x.yaml"})).isEmpty();
    }

    @Test
    void anUnknownCommandPrintsUsageAndAFailedBackupExitsNonZero(@TempDir Path dir) {
        SodamConfig config = ConfigLoader.load(null, Map.of("SODAM_DATA_DIR", dir.resolve("empty").toString()));
        assertThat(SodamMain.runCommand(List.of("frobnicate", "x"), config)).isEqualTo(2);
        assertThat(SodamMain.runCommand(List.of("backup"), config)).isEqualTo(2);
        assertThat(SodamMain.runCommand(List.of("backup", dir.resolve("b.db").toString()), config))
                .as("nothing to back up").isEqualTo(1);
        assertThat(SodamMain.runCommand(List.of("migrate-to-postgres", "--url"), config)).isEqualTo(2);
        assertThat(SodamMain.runCommand(List.of("migrate-to-postgres", "--data-dir", dir.toString()), config))
                .as("no URL given or configured").isEqualTo(2);
    }

    @Test
    void backupAndRestoreRefuseAPostgresqlStore(@TempDir Path dir) {
        SodamConfig config = ConfigLoader.load(null, Map.of("SODAM_DATA_DIR", dir.toString(), "SODAM_STORE_TYPE",
                "postgresql", "SODAM_STORE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/sodam"));
        assertThat(SodamMain.runCommand(List.of("backup", dir.resolve("b.db").toString()), config)).isEqualTo(2);
        assertThat(SodamMain.runCommand(List.of("restore", dir.resolve("b.db").toString()), config)).isEqualTo(2);
        assertThat(dir.resolve("b.db")).doesNotExist();
    }
}
