"""A deliberately vulnerable sample service: every construct here is something bandit flags."""
import hashlib
import pickle
import subprocess

import yaml

DB_PASSWORD = "hunter2-not-a-real-secret"


def run(cmd):
    return subprocess.call(cmd, shell=True)


def load_config(text):
    return yaml.load(text)


def restore(blob):
    return pickle.loads(blob)


def checksum(data):
    return hashlib.md5(data).hexdigest()


def evaluate(expr):
    return eval(expr)


def connect(user, password="changeme-default"):
    assert user, "a user is required"
    return {"user": user, "password": password}
