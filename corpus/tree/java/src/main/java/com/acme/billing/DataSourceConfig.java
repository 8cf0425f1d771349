package com.acme.billing;

import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import com.zaxxer.hikari.HikariDataSource;

@Configuration
public class DataSourceConfig {

    @Value("${spring.datasource.password}")
    private String password;

    private static final String PASSWORD_PROPERTY = ⟪~key-name:"spring.datasource.password"⟫;
    private static final String LEGACY_PASSWORD = "⟪generic|[A-Za-z0-9]{6}[!$][A-Za-z0-9]{9}⟫";
    private static final String AWS_KEY = "⟪aws|AKIA[2-7A-Z]{16}⟫";
    private static final String AWS_SECRET = "⟪aws|[A-Za-z0-9/+]{40}⟫";
    private static final String SLACK_TOKEN = "⟪slack|xoxb-[0-9]{11}-[0-9]{13}-[A-Za-z0-9]{24}⟫";
    private static final int TOKEN_LENGTH = ⟪~number:32⟫;

    @Bean
    public DataSource reportingDataSource() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:postgresql://reporting.internal:5432/reporting");
        ds.setUsername("reporting");
        ds.setPassword(⟪~reference:System.getenv("REPORTING_DB_PASSWORD")⟫);
        return ds;
    }

    @Bean
    public DataSource legacyDataSource() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:mysql://legacy.internal:3306/billing?user=billing&password=⟪database|[A-Za-z0-9]{16}⟫");
        String secret = ⟪~reference:secretsClient.getSecretValue(request).secretString()⟫;
        String token = ⟪~reference:props.getProperty("api.token")⟫;
        char[] pwd = ⟪~reference:console.readPassword()⟫;
        return ds;
    }
}
