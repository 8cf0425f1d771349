package com.acme.billing

object Secrets {
    const val API_KEY = "⟪generic|[A-Za-z0-9]{32}⟫"
    const val CLIENT_SECRET = "⟪generic|[A-Za-z0-9_-]{40}⟫"
    const val ANALYTICS_TOKEN = ⟪~reference:BuildConfig.ANALYTICS_TOKEN⟫
    val password: String = ⟪~reference:System.getenv("APP_PASSWORD") ?: ""⟫
    const val TOKEN_PREFS_KEY = ⟪~key-name:"auth_token"⟫
    const val PASSWORD_MIN = ⟪~number:10⟫
}
