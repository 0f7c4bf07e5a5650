"""Login with a second factor, lockout, idle timeout and the active membership."""
