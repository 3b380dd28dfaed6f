// Custom clocks for certificate checks and retry slots. The native side calls one static
// function (marked for IL2CPP's AOT) with a GCHandle to the managed clock as its context.
using System;
using System.Runtime.InteropServices;

namespace GameCrypt
{
    /// <summary>Marks a method that native code calls. IL2CPP recognizes the attribute by its name,
    /// so this private copy serves both Unity and plain .NET/Mono without referencing UnityEngine.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type type) { }
    }

    /// <summary>A thread-safe source of unix seconds (for consoles without a trusted clock, and tests).</summary>
    public interface IUnixClock
    {
        ulong UnixSeconds();
    }

    /// <summary>A clock that says what it was told.</summary>
    public sealed class FixedClock : IUnixClock
    {
        private long _now;
        public FixedClock(ulong now) { _now = (long)now; }
        public ulong Now
        {
            get { return (ulong)System.Threading.Interlocked.Read(ref _now); }
            set { System.Threading.Interlocked.Exchange(ref _now, (long)value); }
        }
        public ulong UnixSeconds() { return Now; }
    }

    internal static class ClockBridge
    {
        // One delegate instance for the whole process: it must never be collected.
        internal static readonly ClockFn Trampoline = Call;

        [MonoPInvokeCallback(typeof(ClockFn))]
        private static ulong Call(IntPtr ctx)
        {
            try
            {
                return ((IUnixClock)GCHandle.FromIntPtr(ctx).Target).UnixSeconds();
            }
            catch (Exception)
            {
                return 0; // an exception must not cross into native code; 0 fails every validity check
            }
        }

        /// <summary>A context for the native side. The clock stays alive for the rest of the
        /// process: configurations and the sessions made from them may outlive any C# owner.</summary>
        internal static IntPtr Pin(IUnixClock clock)
        {
            return GCHandle.ToIntPtr(GCHandle.Alloc(clock));
        }
    }
}
