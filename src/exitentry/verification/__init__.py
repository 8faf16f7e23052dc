"""Verification: anyone holding a receipt, notice or decision can check it is genuine and still in force."""
