//! Starts the server: settings, logs, then the application.

use backend::configuration::Settings;
use backend::startup::Application;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load()?;
    backend::telemetry::init(settings.log_json);
    let app = Application::build(settings).await?;
    app.run_until_stopped().await?;
    Ok(())
}
