//! The `#[require_token]` and `#[public]` attributes and the `vocabulary!` macro of the
//! `auth-runtime` crate.
//!
//! Depend on `auth-runtime` and use `auth_runtime::require_token`; this crate is its
//! implementation and has no other public API. Its versions move in lockstep with
//! `auth-runtime`'s, which pins the exact version.

mod ctxt;
mod entries;
mod expand;
mod handler;
mod model;
mod names;
#[cfg(feature = "utoipa")]
mod openapi;
mod parse;
mod public;
mod read;
mod suggest;
mod syntax;
mod validate;
mod vocabulary;

use proc_macro::TokenStream;

/// Declares, on an axum handler, the token the route requires.
///
/// The attribute adds a guard as the handler's **first** argument. The guard finds the
/// token, verifies it with the [`AuthManager`] installed on the router, and checks every
/// requirement below before any other extractor runs, so a forbidden request is answered
/// 403 and never a 422 from a body it should not have read. The handler keeps its name,
/// visibility, docs and other attributes, and works in a `Router` of any state type.
///
/// [`AuthManager`]: ../auth_runtime/struct.AuthManager.html
///
/// ```
/// use auth_runtime::{require_token, CurrentToken};
/// use axum::extract::Path;
///
/// #[require_token(sub = "username", override(admin = true))]
/// async fn profile(Path(username): Path<String>, token: CurrentToken) -> String {
///     format!("hello {username}, you are {}", token.sub())
/// }
///
/// let app: axum::Router = axum::Router::new().route("/users/{username}", axum::routing::get(profile));
/// ```
///
/// # Options
///
/// | option | values | default | what it requires |
/// |---|---|---|---|
/// | *(none)* | | | any valid auth token |
/// | `kind = "..."` | `"auth"`, `"refresh"` | `"auth"` | the token's kind (`type` claim) |
/// | `<claim> = "<param>"` | a path parameter name | | claim `<claim>` equals the route's `{<param>}` |
/// | `claims(k = v, ...)` | literals, arrays, groups | | each literal claim |
/// | `scope(k = v, ...)` | literals, arrays, groups | | each entry in the token's `scope` map |
/// | `scope("name", ...)` | scope names | | each name granted by the token's `scope` |
/// | `override(k = v, ...)` | literals, arrays, groups | | nothing: when every entry holds, bindings, `claims` and `scope` are waived |
/// | `fresh` | | off | an auth token minted at login, not by a refresh |
/// | `optional` | | off | nothing when no token is sent (`Option<CurrentToken>` is `None`); a bad token is still refused |
/// | `location = "..."` | `"header"`, `"cookie"`, `"query"`, or an array of them | the manager's (header) | where this route reads its token |
/// | `credential = "..."` | `"jwt"`, `"opaque"`, `"api_key"`, or an array of them | `"jwt"` | what the route accepts: a signed JWT, an opaque token the store (or a loader, or an introspection endpoint) vouches for, an API key in its own header |
/// | `crate = "..."` | a path | `auth_runtime` | where the runtime crate is, if you renamed the dependency |
///
/// Options combine freely, separated by commas. Values are string, integer and bool
/// literals, arrays of them (`roles = ["a", "b"]`) and nested groups (`org(id = 7)`) for
/// nested maps; keys that are not Rust identifiers are written as string literals
/// (`scope("users:read" = true)`).
///
/// ## `kind`
///
/// ```
/// # use auth_runtime::{require_token, CurrentToken};
/// /// Exchanges a refresh token for a new auth token.
/// #[require_token(kind = "refresh")]
/// async fn refresh(token: CurrentToken) -> String {
///     token.sub().to_owned()
/// }
/// ```
///
/// ## Path bindings: `<claim> = "<param>"`
///
/// Any name that is not an option binds that top-level claim to a path parameter. The
/// percent-decoded segment must equal a string claim byte for byte (no case folding, no
/// Unicode normalisation), an integer claim in its canonical decimal form (`42`, not
/// `042`), or an element of an array claim. A bound parameter missing from the matched
/// route is a server fault (500, fail closed).
///
/// ```
/// # use auth_runtime::require_token;
/// # use axum::extract::Path;
/// #[require_token(sub = "username", org = "org_id")]
/// async fn member(Path((org_id, username)): Path<(String, String)>) -> String {
///     format!("{username} in {org_id}")
/// }
/// ```
///
/// ## `claims(...)`
///
/// Literal requirements on top-level claims. Maps match when every listed key matches
/// (recursively); arrays when every listed element is present; a scalar matches an equal
/// scalar (strict JSON: `true` is not `1`) or an array that contains it.
///
/// ```
/// # use auth_runtime::require_token;
/// #[require_token(claims(custom_claim = "Arbitrary Required Value", roles = ["editor"], org(id = 7)))]
/// async fn edit() {}
/// ```
///
/// ## `scope(...)`
///
/// Entries are matched inside the token's `scope` map; names are granted by a
/// space-delimited `scope` string, an array containing them, or a map where they are
/// `true`. A failed scope check answers 403 `insufficient_scope`.
///
/// ```
/// # use auth_runtime::require_token;
/// #[require_token(scope(admin = true))]
/// async fn admin_dashboard() {}
///
/// #[require_token(scope("users:read", "users:write"))]
/// async fn edit_users() {}
/// ```
///
/// ## `override(...)`
///
/// When every entry holds, as a top-level claim **or** inside the `scope` map, the path
/// bindings, `claims(...)` and `scope(...)` are waived. Kind, signature, expiry, issuer,
/// audience, freshness and revocation never are.
///
/// ```
/// # use auth_runtime::require_token;
/// # use axum::extract::Path;
/// #[require_token(sub = "username", override(admin = true))]
/// async fn overridable(Path(username): Path<String>) -> String { username }
/// ```
///
/// ## `fresh` and `optional`
///
/// ```
/// # use auth_runtime::{require_token, CurrentToken};
/// #[require_token(fresh)]
/// async fn change_password() {}
///
/// #[require_token(optional)]
/// async fn home(token: Option<CurrentToken>) -> String {
///     match token {
///         Some(t) => format!("welcome back, {}", t.sub()),
///         None => "welcome".to_owned(),
///     }
/// }
/// ```
///
/// `Some(token)` means a token in this route's locations met the whole requirement;
/// `None` means there was no token in this route's locations (a token sent elsewhere is
/// never read). `CurrentToken` and `CurrentUser` read the guard's decision, never the
/// request again.
///
/// ## `location`
///
/// ```
/// # use auth_runtime::require_token;
/// #[require_token(location = "cookie")]
/// async fn page() {}
///
/// #[require_token(location = ["header", "cookie"])]
/// async fn either() {}
/// ```
///
/// ## `credential`
///
/// ```
/// # use auth_runtime::{require_token, CurrentToken};
/// /// flask-stateless-auth: random tokens only the store can vouch for.
/// #[require_token(credential = "opaque")]
/// async fn secret() {}
///
/// /// nsj-flask-auth: an `X-API-Key`, or a JWT; both at once is 400.
/// #[require_token(credential = ["api_key", "jwt"], scope("reports:read"))]
/// async fn report(token: CurrentToken) -> &'static str {
///     token.credential().as_str()
/// }
/// ```
///
/// Every other option applies to every credential: an opaque token's or API key's record
/// has a subject, a kind, a scope and claims like a JWT. An API key is never a refresh
/// token nor fresh, and travels in its own header: `kind = "refresh"`, `fresh` and (for
/// a route that takes API keys only) `location` are compile errors beside it.
///
/// ## `crate`
///
/// ```
/// # extern crate auth_runtime as my_auth;
/// # use my_auth::require_token;
/// #[require_token(crate = "my_auth")]
/// async fn renamed() {}
/// ```
///
/// # On associated functions
///
/// An `impl` block cannot hold the requirement type the attribute generates, and an
/// attribute on an associated fn cannot tell it stands in one. Put a bare
/// `#[require_token]` on the `impl` block too: it guards each associated `async fn` that
/// carries its own `#[require_token(...)]` and puts the requirement types beside the block.
///
/// ```
/// # use auth_runtime::{require_token, CurrentToken};
/// struct Api;
///
/// #[require_token]
/// impl Api {
///     #[require_token(scope(admin = true))]
///     async fn admin(token: CurrentToken) -> String {
///         token.sub().to_owned()
///     }
/// }
///
/// let app: axum::Router = axum::Router::new().route("/admin", axum::routing::get(Api::admin));
/// ```
///
/// # With `#[axum::debug_handler]`
///
/// Write `#[require_token]` **above** `#[axum::debug_handler]`, so `debug_handler` checks
/// the guarded handler. In the other order `debug_handler` checks the handler before the
/// guard is added and reports an arity error on code you never wrote.
///
/// ```ignore
/// #[require_token(sub = "username")]
/// #[axum::debug_handler]
/// async fn profile(Path(username): Path<String>) -> String { username }
/// ```
///
/// # With `#[utoipa::path]` (feature `utoipa`)
///
/// Write `#[require_token]` **above** `#[utoipa::path(...)]`: it adds the route's security
/// requirement (unless you wrote `security(...)`) and merges its refusals (401, and 403,
/// 400, 503 as the requirement can answer them) into your `responses(...)`, keeping every
/// status you documented yourself. Below `#[utoipa::path]` it can add nothing. See
/// `auth_runtime::openapi`.
///
/// # Arguments
///
/// The guard is one more argument, so a guarded handler takes at most 15 extractors of
/// its own. The body extractor (`Json`, `Form`, `String`, `Bytes`, `Request`...) must be
/// the last argument; on an `optional` route the token is `Option<CurrentToken>`. Both
/// are checked at compile time.
///
/// # Mistakes are compile errors
///
/// Each error points at the token to change, lists the valid choices and suggests the
/// nearest one; all independent errors are reported at once.
///
/// A misspelt kind:
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// #[require_token(kind = "refesh")] // unknown token kind `"refesh"` (did you mean `"refresh"`?)
/// async fn refresh() {}
/// ```
///
/// A misspelt option:
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// #[require_token(fersh)] // unknown option `fersh` (did you mean `fresh`?)
/// async fn change_password() {}
/// ```
///
/// A registered claim as a requirement:
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// #[require_token(claims(exp = 0))] // `exp` is a registered claim
/// async fn handler() {}
/// ```
///
/// A value that is not a literal:
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// const ROLE: &str = "admin";
/// #[require_token(claims(role = ROLE))] // expected a string, integer or bool literal
/// async fn handler() {}
/// ```
///
/// `override` with nothing to override:
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// #[require_token(override(admin = true))]
/// async fn handler() {}
/// ```
///
/// `scope` on a refresh route:
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// #[require_token(kind = "refresh", scope(admin = true))]
/// async fn refresh() {}
/// ```
///
/// A function that is not `async`:
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// #[require_token]
/// fn handler() {}
/// ```
///
/// A binding one typo away from `sub` (write `"sbu" = ...` for a claim really named so):
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// #[require_token(sbu = "username")] // did you mean `sub`?
/// async fn handler() {}
/// ```
///
/// A plain `CurrentToken` on an optional route:
///
/// ```compile_fail
/// # use auth_runtime::{require_token, CurrentToken};
/// #[require_token(optional)] // take `Option<CurrentToken>`
/// async fn handler(token: CurrentToken) {}
/// ```
///
/// A body extractor before another argument:
///
/// ```compile_fail
/// # use auth_runtime::{require_token, CurrentToken};
/// # use axum::Json;
/// #[require_token] // `Json<String>` must be the last argument
/// async fn handler(Json(body): Json<String>, token: CurrentToken) {}
/// ```
///
/// Two attributes on one handler:
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// #[require_token(fresh)]
/// #[require_token(scope(admin = true))] // combine them into one
/// async fn handler() {}
/// ```
///
/// # Vocabulary
///
/// With a [`vocabulary!`] in scope, every scope name, claim key, nested key, bound claim and
/// value is checked against it at compile time, on the literal to change:
///
/// ```compile_fail,E0080
/// auth_runtime::vocabulary! {
///     const VOCABULARY = { scopes: ["users:read"], claims: { level: i64 } };
/// }
///
/// #[auth_runtime::require_token(scope("users:raed"))] // did you mean `"users:read"`?
/// async fn users() {}
///
/// #[auth_runtime::require_token(claims(level = "3"))] // `level` is an integer
/// async fn level() {}
/// # fn main() {}
/// ```
///
/// A route parameter written with its braces:
///
/// ```compile_fail
/// # use auth_runtime::require_token;
/// #[require_token(sub = "{username}")] // write the path parameter name without braces
/// async fn handler() {}
/// ```
#[proc_macro_attribute]
pub fn require_token(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::require_token(args.into(), item.into()).into()
}

/// Declares, on an axum handler, that the route needs no token: the explicit public marker
/// that deny-by-default routing (`auth_runtime::routing`) asks of every handler without
/// `#[require_token]`.
///
/// The attribute adds `auth_runtime::Public`, an extractor that takes nothing and never
/// fails, as the handler's first argument. It takes no arguments.
///
/// ```
/// use auth_runtime::{public, routing::{get, Router}};
///
/// #[public]
/// async fn health() -> &'static str {
///     "ok"
/// }
///
/// let app: axum::Router = Router::new().route("/health", get(health)).into_router();
/// ```
///
/// A protect-all layer (`auth_runtime::ProtectAllLayer`) still applies to a public
/// handler: list its route there too.
#[proc_macro_attribute]
pub fn public(args: TokenStream, item: TokenStream) -> TokenStream {
    public::public(args.into(), item.into()).into()
}

/// Declares the names an application's tokens use: the scope names it grants and its
/// custom claims with their JSON types. Every `#[require_token(...)]` in scope is then
/// checked against it at compile time, and `TokenBuilder::vocabulary` issues within it.
///
/// ```
/// auth_runtime::vocabulary! {
///     /// The names this service's tokens use.
///     pub const VOCABULARY = {
///         scopes: ["users:read", "users:write"],
///         claims: { tenant: String, level: i64, roles: [String], org: { id: i64 }, extra: Json },
///     };
/// }
///
/// #[auth_runtime::require_token(scope("users:read"), claims(level = 3, org(id = 7)))]
/// async fn users() {}
/// # fn main() {}
/// ```
///
/// Claim types: `String`, `bool`, any integer type, `f64` (never equal to a literal, so no
/// route can require it), `Json` or `serde_json::Value` (anything), `[T]` or `Vec<T>`,
/// `{ key: T, ... }`. Registered claims (`sub`, `exp`, `scope`...) are the library's and
/// cannot be declared; a path binding of `sub` is always allowed.
///
/// # Scope
///
/// A vocabulary declared at the crate root applies to the whole crate; one declared in a
/// module applies to that module and takes precedence there. To use one declared in
/// another module, bring it in with `vocabulary! { use path::TO::VOCABULARY; }` (or glob
/// `use` that module). Items inside a function body are not seen: declare the vocabulary
/// at module level. Without a vocabulary in scope nothing is checked.
#[proc_macro]
pub fn vocabulary(input: TokenStream) -> TokenStream {
    vocabulary::vocabulary(input.into()).into()
}
