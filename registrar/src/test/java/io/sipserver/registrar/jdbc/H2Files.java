package io.sipserver.registrar.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/** An H2 database in a file, as the application runs it, migrated by this module's Flyway scripts. */
final class H2Files {

    private H2Files() {
    }

    static String url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("registrar").toAbsolutePath() + ";WRITE_DELAY=0";
    }

    static HikariDataSource open(Path dir) {
        return open(dir, "latest");
    }

    /** Migrated up to {@code version} only: the database of an earlier release. */
    static HikariDataSource open(Path dir, String version) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(dir));
        config.setUsername("sa");
        config.setMaximumPoolSize(4);
        HikariDataSource dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/registrar").target(version).load()
                .migrate();
        return dataSource;
    }
}
