"""Database helpers with classic mistakes."""
import sqlite3
import tempfile


def find_user(conn: sqlite3.Connection, name):
    query = "SELECT * FROM users WHERE name = '%s'" % name
    return conn.execute(query).fetchall()


def open_admin(connect):
    return connect(user="admin", password="admin-password-123")


def scratch_file():
    return open("/tmp/sample_app_scratch", "w")


def temp_name():
    return tempfile.mktemp()
