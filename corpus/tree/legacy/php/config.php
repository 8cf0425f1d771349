<?php
// Legacy admin panel configuration.
return [
    'db' => [
        'host' => '10.20.0.15',
        'user' => 'admin_panel',
        'password' => '⟪generic|[A-Za-z0-9]{11}[!#][A-Za-z0-9]{5}⟫',
        'dsn' => 'mysql:host=10.20.0.15;dbname=admin',
    ],
    'mail' => [
        'api_key' => '⟪sendgrid|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}⟫',
        'password' => ⟪~reference:getenv('MAIL_PASSWORD')⟫,
    ],
    'stripe_secret' => '⟪stripe|sk_live_[A-Za-z0-9]{24}⟫',
    'app_secret' => '⟪generic|[a-f0-9]{40}⟫',
    'encryption_key' => '⟪generic|base64:[A-Za-z0-9+/]{43}=⟫',
    'session_secret' => ⟪~reference:$_ENV['SESSION_SECRET']⟫,
    'api_token' => ⟪~reference:env('API_TOKEN')⟫,
    'token_name' => ⟪~key-name:'admin_panel_token'⟫,
    'password_algo' => ⟪~reference:PASSWORD_ARGON2ID⟫,
];
$aws_secret = "⟪aws|[A-Za-z0-9/+]{40}⟫";
$aws_key = "⟪aws|AKIA[2-7A-Z]{16}⟫";
define('SLACK_TOKEN', '⟪slack|xoxb-[0-9]{11}-[0-9]{13}-[A-Za-z0-9]{24}⟫');
define('DB_PASSWORD', ⟪~reference:getenv('DB_PASSWORD')⟫);
$password = ⟪~reference:$_POST['password']⟫;
$token = ⟪~reference:bin2hex(random_bytes(32))⟫;
