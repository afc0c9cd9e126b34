"""Schedules, source health and the weekly digest.

The scheduler (`runner`) launches crawls and rebuilds as subprocesses, `health` watches what
crawls yield, `digest` and `subscribers` turn new resources into e-mails and an Atom feed.
"""
