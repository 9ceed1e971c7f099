"""Sources: HTTP fetch (`http`), feed parsing (`parse`), folders of article files
(`directory`), the polling backoff policy (`backoff`), URL safety (`urls`) and the declared
sources file (`sources_file`). feedparser is imported in `parse` only.
"""
