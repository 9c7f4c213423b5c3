"""Every interface: the CLI, the HTTP API and web page, the Slack app, and the drafts store."""
