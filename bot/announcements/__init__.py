"""The daily strike announcement: its content, pure scheduling decisions, the scheduler.

Nothing here imports discord; the cog that sends maps `Announcement` to a message.
"""
