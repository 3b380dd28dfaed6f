extends SceneTree
## Runs every test_* method of the test scripts below in the engine and prints one PASS or
## FAIL line; exit code 0 or 1. Run with:
## godot --headless --path examples/godot --script res://tests/run_tests.gd

const SUITES := ["res://tests/test_classes.gd"]


func _initialize() -> void:
	var passed := 0
	var failed: Array[String] = []
	var checks := 0
	for path in SUITES:
		var suite = load(path).new()
		for method in suite.get_method_list():
			var method_name: String = method["name"]
			if not method_name.begins_with("test_"):
				continue
			suite.failures.clear()
			suite.call(method_name)
			checks += suite.checks
			suite.checks = 0
			if suite.failures.is_empty():
				passed += 1
				print("  ok   %s" % method_name)
			else:
				failed.append(method_name)
				print("  FAIL %s: %s" % [method_name, "; ".join(suite.failures)])
	if failed.is_empty():
		print("PASS gamecrypt GDScript tests: %d tests, %d checks" % [passed, checks])
		quit(0)
	else:
		print("FAIL gamecrypt GDScript tests: %s" % ", ".join(failed))
		quit(1)
