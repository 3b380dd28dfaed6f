// COMPILE-TIME STAND-IN ONLY. This is not Unity and does nothing at run time: it declares the
// few UnityEngine types the sample's MonoBehaviours use, so that scripts/test-csharp.sh can check
// that Samples~/Demo/*.cs compile without a Unity editor. Never ship or reference it elsewhere.
using System;

namespace UnityEngine
{
    public class Object { }
    public class Component : Object { }
    public class Behaviour : Component { }
    public class MonoBehaviour : Behaviour { }

    public class TextAsset : Object
    {
        public string text { get { throw new NotSupportedException("stand-in"); } }
        public byte[] bytes { get { throw new NotSupportedException("stand-in"); } }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class SerializeField : Attribute { }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class TooltipAttribute : Attribute
    {
        public TooltipAttribute(string tooltip) { }
    }

    public struct Rect
    {
        public Rect(float x, float y, float width, float height) { }
    }

    public static class Mathf
    {
        public static int Max(int a, int b) { return a > b ? a : b; }
    }

    public static class Debug
    {
        public static void Log(object message) { }
        public static void LogWarning(object message) { }
    }

    public static class Application
    {
        public static string persistentDataPath { get { throw new NotSupportedException("stand-in"); } }
    }

    public static class GUILayout
    {
        public static void BeginArea(Rect area) { }
        public static void EndArea() { }
        public static void Label(string text) { }
        public static bool Button(string text) { return false; }
        public static string TextField(string text) { return text; }
    }
}
