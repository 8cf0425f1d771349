package com.acme.billing;

import static org.junit.jupiter.api.Assertions.*;
import org.junit.jupiter.api.Test;

class AuthServiceTest {
    private static final String PASSWORD = ⟪~test-fixture:"test-password-123"⟫;
    private static final String WRONG_PASSWORD = ⟪~test-fixture:"wrongPassword!1"⟫;
    private static final String API_TOKEN = ⟪~test-fixture:"mock-api-token-0001"⟫;
    private static final String SECRET = ⟪~test-fixture:"fixture-secret-42"⟫;
    private static final String EXPIRED_TOKEN = ⟪~test-fixture:"expired.token.value1"⟫;

    @Test
    void rejectsWrongPassword() {
        AuthService auth = new AuthService("alice", PASSWORD);
        assertFalse(auth.login("alice", WRONG_PASSWORD));
        String token = ⟪~reference:auth.issueToken("alice")⟫;
        assertNotNull(token);
    }

    @Test
    void hashesPasswords() {
        String hash = ⟪~reference:auth.hash("hunter2")⟫;
        assertEquals(⟪~hash:"5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"⟫, Hashing.sha256(PASSWORD));
    }
}
