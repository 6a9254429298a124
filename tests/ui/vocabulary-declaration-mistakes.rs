auth_runtime::vocabulary! {
    const VOCABULARY = {
        scopes: ["users:read", "users:read", "users read"],
        claim: {},
        claims: { sub: String, level: i46, org: { id: Strin } },
    };
}

fn main() {}
